// The console's pages and assets by URL: "/" is web/index.html and
// "/assets/NAME" is web/assets/NAME, each with its content type and an ETag
// (a hash of its bytes) for revalidation. Thread-safe: built once, then read.
#pragma once

#include <string>
#include <string_view>

namespace gleaner::server {

struct Asset {
  std::string_view body;
  std::string_view content_type;
  std::string etag;  // quoted, as the header carries it
};

// nullptr when no embedded file answers `url_path`.
const Asset* FindAsset(std::string_view url_path);

// By file extension; application/octet-stream when unknown.
std::string_view ContentTypeOf(std::string_view path);

}  // namespace gleaner::server
