// Coordinator: the bridge between the many I/O threads and the one owner of
// the scheduling state.
//
// Run() executes a function on the scheduler's strand (so the Scheduler is
// touched by one thread at a time, without locks), hands the records it
// changed to the committer, and resumes the caller only once they — and
// everything before them — are durable. Thread-safe.
#pragma once

#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "common/clock.h"
#include "server/scheduler/scheduler.h"
#include "server/store/committer.h"

namespace gleaner::server {

class Coordinator {
 public:
  Coordinator(boost::asio::io_context& ioc, Scheduler& scheduler, Committer& committer);

  // Runs fn(scheduler, batch, now) -> T on the strand; completes with its
  // result after `batch` is durable.
  //
  // GCC 12 destroys temporaries of a co_await full-expression twice, so pass
  // a named function object, never a lambda written in the co_await line.
  template <typename T, typename F>
  boost::asio::awaitable<T> Run(const F& fn) {
    namespace asio = boost::asio;
    return asio::async_initiate<const asio::use_awaitable_t<>, void(T)>(
        [this, fn](auto handler) mutable {
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          asio::post(strand_, [this, fn = std::move(fn), shared]() mutable {
            Batch batch;
            auto result = std::make_shared<T>(fn(scheduler_, batch, NowUnixMillis()));
            committer_.Enqueue(std::move(batch), [shared, result] {
              auto ex = asio::get_associated_executor(*shared);
              asio::post(ex, [shared, result]() mutable { (*shared)(std::move(*result)); });
            });
          });
        },
        asio::use_awaitable);
  }

  // Every `period`, runs the scheduler's Tick: expired leases, retries
  // whose backoff is over, job deadlines.
  void StartTicking(std::chrono::milliseconds period);
  void Stop();

 private:
  void ScheduleTick();

  Scheduler& scheduler_;
  Committer& committer_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer tick_timer_;
  std::chrono::milliseconds tick_period_{1000};
};

}  // namespace gleaner::server
