#include "tcp_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

namespace gleaner::testing {

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int ConnectTo(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

struct Pair {
  int a, b;  // client side, server side
};

}  // namespace

TcpProxy::TcpProxy(int target_port) : target_port_(target_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0) {
    throw std::runtime_error("proxy cannot listen");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Run(); });
}

TcpProxy::~TcpProxy() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

void TcpProxy::Cut(std::chrono::milliseconds how_long) {
  refuse_until_ms_ = NowMs() + how_long.count();
  cut_requests_++;
  cuts_++;
}

void TcpProxy::Run() {
  std::vector<Pair> pairs;
  int cuts_seen = 0;
  auto close_all = [&] {
    for (auto& p : pairs) {
      ::close(p.a);
      ::close(p.b);
    }
    pairs.clear();
  };
  char buf[1 << 16];
  while (!stop_) {
    if (cut_requests_ != cuts_seen) {
      cuts_seen = cut_requests_;
      close_all();
    }
    std::vector<pollfd> fds = {{listen_fd_, POLLIN, 0}};
    for (const auto& p : pairs) {
      fds.push_back({p.a, POLLIN, 0});
      fds.push_back({p.b, POLLIN, 0});
    }
    if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
    if (fds[0].revents & POLLIN) {
      int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client >= 0) {
        int server = NowMs() < refuse_until_ms_ ? -1 : ConnectTo(target_port_);
        if (server < 0) {
          ::close(client);  // partitioned, or the server is down: the agent sees a reset
        } else {
          pairs.push_back({client, server});
        }
      }
    }
    std::vector<size_t> dead;
    for (size_t i = 0; i < pairs.size(); ++i) {
      for (int side = 0; side < 2; ++side) {
        const pollfd& pfd = fds[1 + 2 * i + side];
        if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR))) continue;
        int from = side == 0 ? pairs[i].a : pairs[i].b;
        int to = side == 0 ? pairs[i].b : pairs[i].a;
        ssize_t n = ::read(from, buf, sizeof buf);
        if (n <= 0 || ::write(to, buf, static_cast<size_t>(n)) != n) {
          dead.push_back(i);
          break;
        }
      }
    }
    for (auto it = dead.rbegin(); it != dead.rend(); ++it) {
      ::close(pairs[*it].a);
      ::close(pairs[*it].b);
      pairs.erase(pairs.begin() + static_cast<std::ptrdiff_t>(*it));
    }
  }
  close_all();
}

}  // namespace gleaner::testing
