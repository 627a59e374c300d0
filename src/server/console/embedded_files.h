// The console's static files (web/), compiled into the binary by
// embed_web.cmake so the server serves them with nothing to install or
// fetch. Constant data; paths are relative to web/, e.g. "assets/app.js".
#pragma once

#include <cstddef>

namespace gleaner::server {

struct EmbeddedFile {
  const char* path;
  const unsigned char* data;
  size_t size;
};

extern const EmbeddedFile kEmbeddedFiles[];
extern const size_t kEmbeddedFileCount;

}  // namespace gleaner::server
