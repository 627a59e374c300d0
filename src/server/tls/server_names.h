// What the server calls itself: the names and addresses its certificate lists
// (subjectAltName) and the HOST:PORT that token strings carry.
//
// --advertise NAME[:PORT] (repeatable) comes first: the first one is what
// tokens point at, for servers behind NAT or known by a DNS name. Without it a
// server on one address advertises that address, and one on every address
// (0.0.0.0 or ::) advertises the machine's host name and lists every local
// address as well. Pure; the machine's facts are passed in.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace gleaner::server {

struct MachineNames {
  std::string hostname;
  std::vector<std::string> addresses;  // of the local interfaces
};

MachineNames LocalMachineNames();

struct ServerNames {
  std::vector<std::string> certificate_names;  // DNS names and IP addresses, no duplicates
  std::string advertised;                      // HOST:PORT for token strings ([v6]:PORT)
};

// `listen_host` as given to --listen (brackets removed), `bound_port` the port
// actually bound. A malformed --advertise entry is kInvalidArgument.
Result<ServerNames> NameServer(const std::string& listen_host, int bound_port,
                               const std::vector<std::string>& advertise, const MachineNames& machine);

}  // namespace gleaner::server
