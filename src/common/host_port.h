// "HOST:PORT" taken apart at its last colon, the brackets of an IPv6 host
// dropped: "[::1]:7070" is {"::1", "7070"}. Pure; checks neither part.
#pragma once

#include <optional>
#include <string>

namespace gleaner {

struct HostPort {
  std::string host;  // without brackets; may be empty
  std::string port;  // the text after the last colon; may be empty
};

// nullopt when `address` has no colon.
std::optional<HostPort> SplitHostPort(const std::string& address);

}  // namespace gleaner
