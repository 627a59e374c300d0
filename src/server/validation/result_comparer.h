// Fuzzy result comparison (docs/validation.md): for a job with a tolerance
// or a validator, replicas' results whose bytes differ are compared by
// reading their output files from the blob store: numbers within the
// tolerance agree, or the admin's validator program decides.
//
// CompareResults is the blocking part (file reads); ResultComparer runs it
// off the I/O threads, taking work from the scheduler and reporting answers
// through the coordinator, so answers are durable like any other change.
// A server killed mid-comparison compares again after its restart: the
// waiting results are in the store.
#pragma once

#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <string>

#include "server/blobs/blob_store.h"
#include "server/coordinator.h"

namespace gleaner::server {

struct ComparisonAnswer {
  std::string agrees_with;  // the hash of the first group the candidate agrees with; "" for none
  std::string difference;   // with none: how it differs from the first group's result
};

class ValidatorRunner;

// Compares the request's candidate with each group's result in turn, by the
// job's validator program when it names one (`validators` may be null when
// the server has none).
ComparisonAnswer CompareResults(const BlobStore& blobs, const ValidatorRunner* validators,
                                const ComparisonRequest& request);

// Whether two results agree within the tolerance; "" when they do, else
// where they differ ("stdout line 3, field 2: …", "output res/a.txt: …").
std::string DifferenceBetween(const BlobStore& blobs, const TaskOutcome& a, const TaskOutcome& b, double tolerance,
                              double abs_tolerance);

class ResultComparer {
 public:
  ResultComparer(boost::asio::io_context& ioc, Coordinator& coordinator, const BlobStore& blobs,
                 const ValidatorRunner* validators, std::chrono::milliseconds idle_poll);

  void Start();
  void Stop();  // before the io_context stops

 private:
  boost::asio::awaitable<void> Loop();

  Coordinator& coordinator_;
  const BlobStore& blobs_;
  const ValidatorRunner* validators_;
  const std::chrono::milliseconds idle_poll_;
  boost::asio::steady_timer timer_;
};

}  // namespace gleaner::server
