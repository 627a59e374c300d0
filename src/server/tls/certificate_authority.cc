#include "server/tls/certificate_authority.h"

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <memory>

#include "common/files.h"
#include "common/sha256.h"

namespace gleaner::server {

namespace {

namespace fs = std::filesystem;

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;

constexpr long kDay = 24 * 60 * 60;
constexpr long kCaLifetime = 20 * 365 * kDay;
// Issued at every start, so a year only matters to a server never restarted.
constexpr long kServerLifetime = 397 * kDay;

Key NewKey() { return Key(EVP_EC_gen("P-256")); }

std::string ToPem(const Bio& bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string CertPem(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return ToPem(bio);
}

std::string KeyPem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return ToPem(bio);
}

bool AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) return false;
  bool added = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return added;
}

// A certificate for `key` named `common_name`, valid from an hour ago (clock
// skew between desktops) for `lifetime` seconds, not yet signed.
Cert NewCertificate(EVP_PKEY* key, const std::string& common_name, long lifetime) {
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), lifetime);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("Gleaner"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                             -1, -1, 0);
  return cert;
}

bool IsIpAddress(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

struct Ca {
  Key key;
  Cert cert;
};

Result<Ca> CreateCa(const std::string& key_path, const std::string& cert_path) {
  Ca ca{NewKey(), nullptr};
  if (!ca.key) return Internal("cannot generate the CA's key");
  ca.cert = NewCertificate(ca.key.get(), "Gleaner server CA", kCaLifetime);
  X509_set_issuer_name(ca.cert.get(), X509_get_subject_name(ca.cert.get()));
  if (!AddExtension(ca.cert.get(), ca.cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
      !AddExtension(ca.cert.get(), ca.cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !AddExtension(ca.cert.get(), ca.cert.get(), NID_subject_key_identifier, "hash") ||
      X509_sign(ca.cert.get(), ca.key.get(), EVP_sha256()) == 0) {
    return Internal("cannot make the CA certificate");
  }
  // The key first: a crash between the two leaves no certificate, so the
  // next start makes a fresh pair instead of finding a certificate without its key.
  GLEANER_RETURN_IF_ERROR(WriteFileDurably(key_path, KeyPem(ca.key.get()), 0600));
  GLEANER_RETURN_IF_ERROR(WriteFileDurably(cert_path, CertPem(ca.cert.get()), 0644));
  return ca;
}

Result<Ca> LoadCa(const std::string& key_path, const std::string& cert_path) {
  auto key_pem = ReadFile(key_path);
  if (!key_pem.ok()) return key_pem.error();
  auto cert_pem = ReadFile(cert_path);
  if (!cert_pem.ok()) return cert_pem.error();
  Bio key_bio(BIO_new_mem_buf(key_pem->data(), static_cast<int>(key_pem->size())));
  Bio cert_bio(BIO_new_mem_buf(cert_pem->data(), static_cast<int>(cert_pem->size())));
  Ca ca{Key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr)),
        Cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr))};
  if (!ca.key) return Internal("'" + key_path + "' is not a PEM private key; restore it from a backup");
  if (!ca.cert) return Internal("'" + cert_path + "' is not a PEM certificate; restore it from a backup");
  if (X509_check_private_key(ca.cert.get(), ca.key.get()) != 1) {
    return Internal("'" + key_path + "' is not the key of '" + cert_path + "'; restore both from one backup");
  }
  return ca;
}

}  // namespace

Result<ServerCertificate> PrepareServerCertificate(const std::string& tls_dir, const std::vector<std::string>& names) {
  std::error_code ec;
  fs::create_directories(tls_dir, ec);
  if (ec) return Internal("cannot create '" + tls_dir + "': " + ec.message());
  std::string key_path = tls_dir + "/ca.key", cert_path = tls_dir + "/ca.pem";
  auto ca = fs::exists(cert_path) ? LoadCa(key_path, cert_path) : CreateCa(key_path, cert_path);
  if (!ca.ok()) return ca.error();

  Key key = NewKey();
  if (!key) return Internal("cannot generate the server's key");
  std::string common_name = names.empty() ? "gleaner" : names.front();
  Cert cert = NewCertificate(key.get(), common_name, kServerLifetime);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca->cert.get()));
  std::string alt_names;
  for (const auto& name : names) {
    if (name.empty()) continue;
    if (!alt_names.empty()) alt_names += ",";
    alt_names += (IsIpAddress(name) ? "IP:" : "DNS:") + name;
  }
  if (alt_names.empty()) return InvalidArgument("the server certificate needs at least one name or address");
  if (!AddExtension(cert.get(), ca->cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !AddExtension(cert.get(), ca->cert.get(), NID_key_usage, "critical,digitalSignature") ||
      !AddExtension(cert.get(), ca->cert.get(), NID_ext_key_usage, "serverAuth") ||
      !AddExtension(cert.get(), ca->cert.get(), NID_authority_key_identifier, "keyid:always") ||
      !AddExtension(cert.get(), ca->cert.get(), NID_subject_alt_name, alt_names) ||
      X509_sign(cert.get(), ca->key.get(), EVP_sha256()) == 0) {
    return InvalidArgument("cannot issue a server certificate for " + alt_names);
  }
  return ServerCertificate{CertPem(cert.get()) + CertPem(ca->cert.get()), KeyPem(key.get()),
                           CertificateSha256(ca->cert.get())};
}

}  // namespace gleaner::server
