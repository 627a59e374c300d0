// SHA-256 over bytes, streams and files (OpenSSL EVP). Blobs are addressed by
// the lowercase hex digest. Not thread-safe per instance; cheap to create.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

struct x509_st;  // OpenSSL's X509

namespace gleaner {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t size);
  // Lowercase hex; the object must not be used afterwards.
  std::string FinishHex();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string Sha256Hex(std::string_view data);
Result<std::string> Sha256OfFile(const std::string& path);
// The SHA-256 of a certificate's DER encoding: how a CA is pinned.
std::string CertificateSha256(x509_st* cert);
// True for 64 lowercase hex characters.
bool IsSha256Hex(std::string_view s);

}  // namespace gleaner
