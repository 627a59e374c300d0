// The server's own certificate authority, made on first start (OpenSSL).
//
// <data>/tls/ holds ca.key (0600) and ca.pem, which live as long as the data
// directory, and a server certificate issued anew at every start for the names
// and addresses the server answers to, so a changed --listen or --advertise
// never leaves a stale certificate. Clients trust the CA by pinning the SHA-256
// of its DER encoding (carried in every token string), as `kubeadm join` does.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace gleaner::server {

struct ServerCertificate {
  std::string chain_pem;        // leaf first, then the CA
  std::string private_key_pem;  // the leaf's key
  std::string ca_fingerprint;   // lowercase hex SHA-256 of the CA certificate's DER
};

// Loads the CA under `tls_dir`, creating it (durably, key 0600) when absent,
// and issues a server certificate whose subjectAltName lists `names` (DNS
// names and IP addresses, told apart by form). An unreadable or mismatched CA
// is an error that names the file; it is never replaced silently, because
// every enrolled agent pins it.
Result<ServerCertificate> PrepareServerCertificate(const std::string& tls_dir, const std::vector<std::string>& names);

}  // namespace gleaner::server
