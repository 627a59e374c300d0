// Random secrets for tokens and credentials (OpenSSL RAND_bytes). Only the
// SHA-256 of a secret is ever stored on the server.
#pragma once

#include <string>

namespace gleaner {

// `prefix` + 43 characters of URL-safe base64 (32 random bytes).
std::string NewSecret(const std::string& prefix);

}  // namespace gleaner
