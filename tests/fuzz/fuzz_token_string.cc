// Fuzzes the one-line token string (api/token_string.h) that users paste: a
// string that parses formats back to one that parses to the same pieces.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "api/token_string.h"

using namespace gleaner::api;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto token = ParseTokenString(text);
  if (!token.ok()) {
    if (token.error().message.empty()) std::abort();
    return 0;
  }
  if (token->secret.empty()) std::abort();
  if (token->server_url.empty()) return 0;  // a bare secret
  std::string again = FormatTokenString(*token);
  auto back = ParseTokenString(again);
  if (!back.ok() || back->secret != token->secret || back->server_url != token->server_url ||
      back->ca_sha256 != token->ca_sha256) {
    std::fprintf(stderr, "'%s' formats as '%s', which does not parse back the same\n", text.c_str(), again.c_str());
    std::abort();
  }
  return 0;
}
