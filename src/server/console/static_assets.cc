#include "server/console/static_assets.h"

#include <map>

#include "common/sha256.h"
#include "server/console/embedded_files.h"

namespace gleaner::server {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::map<std::string, Asset, std::less<>> BuildIndex() {
  std::map<std::string, Asset, std::less<>> index;
  for (size_t i = 0; i < kEmbeddedFileCount; ++i) {
    const EmbeddedFile& f = kEmbeddedFiles[i];
    std::string_view body(reinterpret_cast<const char*>(f.data), f.size);
    std::string url = std::string(f.path) == "index.html" ? "/" : "/" + std::string(f.path);
    index[url] = Asset{body, ContentTypeOf(f.path), "\"" + Sha256Hex(body).substr(0, 20) + "\""};
  }
  return index;
}

}  // namespace

const Asset* FindAsset(std::string_view url_path) {
  static const auto index = BuildIndex();
  auto it = index.find(url_path);
  return it == index.end() ? nullptr : &it->second;
}

std::string_view ContentTypeOf(std::string_view path) {
  if (EndsWith(path, ".html")) return "text/html; charset=utf-8";
  if (EndsWith(path, ".js")) return "text/javascript; charset=utf-8";
  if (EndsWith(path, ".css")) return "text/css; charset=utf-8";
  if (EndsWith(path, ".svg")) return "image/svg+xml";
  if (EndsWith(path, ".png")) return "image/png";
  if (EndsWith(path, ".ico")) return "image/x-icon";
  return "application/octet-stream";
}

}  // namespace gleaner::server
