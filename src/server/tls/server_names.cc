#include "server/tls/server_names.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>

namespace gleaner::server {

namespace {

bool IsIpv6(const std::string& host) { return host.find(':') != std::string::npos; }

std::string HostPort(const std::string& host, int port) {
  return (IsIpv6(host) ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

void AddName(std::vector<std::string>& names, const std::string& name) {
  if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

bool IsValidHostName(const std::string& name) {
  if (name.empty() || name.size() > 253) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
  });
}

}  // namespace

MachineNames LocalMachineNames() {
  MachineNames machine;
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) == 0) machine.hostname = name;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return machine;
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr) continue;
    char text[INET6_ADDRSTRLEN] = {};
    if (i->ifa_addr->sa_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, text, sizeof text);
    } else if (i->ifa_addr->sa_family == AF_INET6) {
      auto* v6 = reinterpret_cast<sockaddr_in6*>(i->ifa_addr);
      if (IN6_IS_ADDR_LINKLOCAL(&v6->sin6_addr)) continue;  // needs a zone id to be used at all
      inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    } else {
      continue;
    }
    machine.addresses.push_back(text);
  }
  freeifaddrs(list);
  return machine;
}

Result<ServerNames> NameServer(const std::string& listen_host, int bound_port,
                               const std::vector<std::string>& advertise, const MachineNames& machine) {
  ServerNames out;
  for (const auto& entry : advertise) {
    std::string host = entry;
    int port = bound_port;
    size_t colon = entry.rfind(':');
    bool bracketed = !entry.empty() && entry.front() == '[';
    if (bracketed) {
      size_t close = entry.find(']');
      if (close == std::string::npos) return InvalidArgument("--advertise '" + entry + "' has an unclosed '['");
      host = entry.substr(1, close - 1);
      colon = entry.size() > close + 1 && entry[close + 1] == ':' ? close + 1 : std::string::npos;
    } else if (colon != std::string::npos && entry.find(':') != colon) {
      colon = std::string::npos;  // a bare IPv6 address
    }
    if (colon != std::string::npos) {
      if (!bracketed) host = entry.substr(0, colon);
      std::string port_text = entry.substr(colon + 1);
      if (port_text.empty() || port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(port_text) < 1 || std::stoi(port_text) > 65535) {
        return InvalidArgument("--advertise '" + entry + "' has a bad port; write NAME or NAME:PORT");
      }
      port = std::stoi(port_text);
    }
    unsigned char buf[16];
    bool is_ip = inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
    if (!is_ip && !IsValidHostName(host)) {
      return InvalidArgument("--advertise '" + entry + "' is not a host name or IP address");
    }
    AddName(out.certificate_names, host);
    if (out.advertised.empty()) out.advertised = HostPort(host, port);
  }
  bool wildcard = listen_host.empty() || listen_host == "0.0.0.0" || listen_host == "::";
  if (!wildcard) {
    AddName(out.certificate_names, listen_host);
    if (out.advertised.empty()) out.advertised = HostPort(listen_host, bound_port);
    return out;
  }
  if (IsValidHostName(machine.hostname)) AddName(out.certificate_names, machine.hostname);
  AddName(out.certificate_names, "localhost");
  for (const auto& address : machine.addresses) AddName(out.certificate_names, address);
  AddName(out.certificate_names, "127.0.0.1");
  if (out.advertised.empty()) {
    out.advertised = HostPort(IsValidHostName(machine.hostname) ? machine.hostname : "127.0.0.1", bound_port);
  }
  return out;
}

}  // namespace gleaner::server
