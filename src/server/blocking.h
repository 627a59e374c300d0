// RunBlocking: runs blocking work (file copies, hashing, a backup) on a
// thread of its own and resumes the calling coroutine on its executor with
// the result, so I/O threads never block. For rare, long work only: each
// call costs a thread.
#pragma once

#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <thread>

namespace gleaner::server {

// fn() -> T. Pass a named function object (see Coordinator::Run on GCC 12).
template <typename T, typename F>
boost::asio::awaitable<T> RunBlocking(const F& fn) {
  namespace asio = boost::asio;
  return asio::async_initiate<const asio::use_awaitable_t<>, void(T)>(
      [fn](auto handler) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        std::thread([fn, shared]() mutable {
          auto result = std::make_shared<T>(fn());
          auto ex = asio::get_associated_executor(*shared);
          asio::post(ex, [shared, result]() mutable { (*shared)(std::move(*result)); });
        }).detach();
      },
      asio::use_awaitable);
}

}  // namespace gleaner::server
