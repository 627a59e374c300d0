// Loopback source addresses to connect from. One address (the default) lets
// the kernel choose; more give each its own ~28k ephemeral ports, for runs
// that open more connections than one address has ports.
#pragma once

#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include <boost/asio/ip/address.hpp>
#include <vector>

namespace gleaner::bench {

// 127.0.0.1, 127.0.0.2, … (`count` of them); {unspecified} when count <= 1.
inline std::vector<boost::asio::ip::address> SourceAddresses(int count) {
  if (count <= 1) return {boost::asio::ip::address{}};
  std::vector<boost::asio::ip::address> out;
  for (int i = 0; i < count; ++i) out.push_back(boost::asio::ip::make_address_v4(0x7f000001u + static_cast<unsigned>(i)));
  return out;
}

}  // namespace gleaner::bench
