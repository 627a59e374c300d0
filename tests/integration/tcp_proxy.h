// A TCP proxy on 127.0.0.1 that a test controls: it forwards connections to
// a target port until told to cut them, which closes every open connection
// and refuses new ones for a while — a network partition, on loopback.
// One background thread; stopped and joined by the destructor.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace gleaner::testing {

class TcpProxy {
 public:
  explicit TcpProxy(int target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }
  // Drops every connection now and refuses new ones for `how_long`.
  void Cut(std::chrono::milliseconds how_long);
  int cuts() const { return cuts_; }

 private:
  void Run();

  const int target_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> refuse_until_ms_{0};
  std::atomic<int> cut_requests_{0};
  int cuts_ = 0;
  std::thread thread_;
};

}  // namespace gleaner::testing
