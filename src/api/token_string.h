// The one string a client needs: a token's secret, where the server is, and
// the fingerprint of the CA the server's certificate must chain to.
//
//   gleaner://SECRET@HOST:PORT?ca=SHA256HEX   the server speaks HTTPS (default)
//   gleaner://SECRET@HOST:PORT?http           the server runs with --insecure-http
//   SECRET                                    a bare secret: give the server separately
//
// Only SECRET ever travels to the server (as the bearer token). Pure; the
// parser is fuzzed.
#pragma once

#include <string>

#include "common/status.h"

namespace gleaner::api {

struct TokenString {
  std::string secret;
  std::string server_url;  // "https://HOST:PORT" or "http://HOST:PORT"; empty for a bare secret
  std::string ca_sha256;   // lowercase hex; empty unless HTTPS
};

// A malformed string is kInvalidArgument saying which part is wrong.
Result<TokenString> ParseTokenString(const std::string& text);
// `server_url` must be "http(s)://HOST:PORT"; `ca_sha256` is required for https.
std::string FormatTokenString(const TokenString& token);

}  // namespace gleaner::api
