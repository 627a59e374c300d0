#include "server/validation/result_comparer.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <fstream>
#include <map>
#include <optional>
#include <spdlog/spdlog.h>

#include "server/blocking.h"
#include "server/validation/tolerant_compare.h"
#include "server/validation/validator_runner.h"

namespace gleaner::server {

namespace asio = boost::asio;

namespace {

// At most this many comparisons are taken at once; each reads whole files.
constexpr size_t kComparisonsPerRound = 8;

// "" when the two files agree; else where they differ. A file missing from
// the blob store cannot be vouched for, so it disagrees.
std::string FileDifference(const BlobStore& blobs, const std::string& what, const api::FileRef& a,
                           const api::FileRef& b, const Tolerance& tolerance) {
  if (a.sha256 == b.sha256) return "";
  std::ifstream in_a(blobs.PathOf(a.sha256), std::ios::binary);
  std::ifstream in_b(blobs.PathOf(b.sha256), std::ios::binary);
  if (!in_a || !in_b) return what + ": the file is missing on the server";
  TextComparison compared = CompareTolerant(in_a, in_b, tolerance);
  return compared.agree ? "" : what + " " + compared.difference;
}

}  // namespace

std::string DifferenceBetween(const BlobStore& blobs, const TaskOutcome& a, const TaskOutcome& b, double tolerance,
                              double abs_tolerance) {
  if (a.exit_code != b.exit_code || a.signal != b.signal) return "exit status: they ended differently";
  Tolerance within{tolerance, abs_tolerance};
  if (a.stdout_ref.has_value() != b.stdout_ref.has_value()) return "stdout: only one of them wrote any";
  if (a.stdout_ref) {
    std::string differs = FileDifference(blobs, "stdout", *a.stdout_ref, *b.stdout_ref, within);
    if (!differs.empty()) return differs;
  }
  std::map<std::string, const api::FileRef*> theirs;
  for (const auto& f : b.outputs) theirs[f.name] = &f;
  if (theirs.size() != a.outputs.size()) return "outputs: they wrote different files";
  for (const auto& f : a.outputs) {
    auto other = theirs.find(f.name);
    if (other == theirs.end()) return "outputs: only one of them wrote " + f.name;
    std::string differs = FileDifference(blobs, "output " + f.name, f, *other->second, within);
    if (!differs.empty()) return differs;
  }
  return "";
}

ComparisonAnswer CompareResults(const BlobStore& blobs, const ValidatorRunner* validators,
                                const ComparisonRequest& request) {
  ComparisonAnswer answer;
  for (const auto& group : request.groups) {
    std::string differs;
    if (request.validator.empty()) {
      differs = DifferenceBetween(blobs, request.candidate.outcome, group.outcome, request.tolerance,
                                  request.abs_tolerance);
    } else if (validators == nullptr) {
      differs = "validator " + request.validator + " is not configured on this server any more";
    } else {
      differs = validators->Difference(request.validator, blobs, request.candidate.outcome, group.outcome);
    }
    if (differs.empty()) return {group.hash, ""};
    if (answer.difference.empty()) answer.difference = differs;
  }
  return answer;
}

ResultComparer::ResultComparer(asio::io_context& ioc, Coordinator& coordinator, const BlobStore& blobs,
                               const ValidatorRunner* validators, std::chrono::milliseconds idle_poll)
    : coordinator_(coordinator), blobs_(blobs), validators_(validators), idle_poll_(idle_poll), timer_(ioc) {}

void ResultComparer::Start() { asio::co_spawn(timer_.get_executor(), Loop(), asio::detached); }

void ResultComparer::Stop() {
  asio::post(timer_.get_executor(), [this] { timer_.cancel(); });
}

asio::awaitable<void> ResultComparer::Loop() {
  using Requests = std::vector<ComparisonRequest>;
  using Answers = std::vector<ComparisonAnswer>;
  auto take = [](Scheduler& s, Batch&, int64_t) { return s.TakeComparisons(kComparisonsPerRound); };
  for (;;) {
    Requests requests = co_await coordinator_.Run<Requests>(take);
    if (!requests.empty()) {
      auto compare = [&blobs = blobs_, validators = validators_, requests] {
        Answers answers;
        for (const auto& r : requests) answers.push_back(CompareResults(blobs, validators, r));
        return answers;
      };
      Answers answers = co_await RunBlocking<Answers>(compare);
      auto record = [requests, answers](Scheduler& s, Batch& out, int64_t now) {
        for (size_t i = 0; i < requests.size(); ++i) {
          const auto& r = requests[i];
          s.RecordComparison(r.job_id, r.index, r.candidate.attempt_id, answers[i].agrees_with, answers[i].difference,
                             now, out);
        }
        return true;
      };
      co_await coordinator_.Run<bool>(record);
      spdlog::debug("compared {} replicated results", requests.size());
      continue;  // more may be waiting
    }
    boost::system::error_code ec;
    timer_.expires_after(idle_poll_);
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // cancelled: the server is stopping
  }
}

}  // namespace gleaner::server
