#include "server/console/console_handlers.h"

#include <charconv>
#include <limits>

#include "api/json.h"
#include "common/clock.h"
#include "server/console/metrics_page.h"
#include "server/console/static_assets.h"
#include "server/console/stats_sampler.h"
#include "server/console/usage_report.h"

namespace gleaner::server {

namespace asio = boost::asio;

namespace {

// Revalidated on every load (no-cache), answered 304 while the ETag matches:
// a new binary's console shows at once, an unchanged one costs no bytes.
Response ServeAsset(const Request& request) {
  const Asset* asset = FindAsset(request.path);
  if (!asset) return Response::FromError(NotFound("no such page: " + request.path + "; the console is at /"));
  Response r{200, "", std::string(asset->content_type), "",
             {{"Cache-Control", "no-cache"},
              {"ETag", asset->etag},
              {"X-Content-Type-Options", "nosniff"},
              {"Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"}}};
  if (request.if_none_match == asset->etag) {
    r.status = 304;
  } else {
    r.body = std::string(asset->body);
  }
  return r;
}

// `since` of a /stats query: the `at` of the newest sample the caller holds,
// or the lowest int64 (all samples) when absent. Other keys are ignored, as
// every key was before `since`, so existing callers keep working.
Result<int64_t> ParseStatsSince(const std::string& query) {
  int64_t since = std::numeric_limits<int64_t>::min();
  for (const auto& [key, value] : QueryParams(query)) {
    if (key != "since") continue;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), since);
    if (ec != std::errc() || end != value.data() + value.size() || since < 0) {
      return InvalidArgument("since='" + value + "' must be a Unix time in milliseconds, 0 or more");
    }
  }
  return since;
}

}  // namespace

Response ConsoleHandlers::Asset(const Request& request) const { return ServeAsset(request); }

asio::awaitable<Response> ConsoleHandlers::Metrics() {
  auto sample = [](Scheduler& s, Batch&, int64_t now) { return SampleGrid(s, now); };
  api::StatsSample grid = co_await coordinator_.Run<api::StatsSample>(sample);
  co_return Response{200, RenderMetrics(grid, committer_.stats(), request_metrics_.Snapshot()),
                     "text/plain; version=0.0.4; charset=utf-8", "", {}};
}

asio::awaitable<Response> ConsoleHandlers::Report(const Request& request, const Principal& who) {
  auto query = ParseReportQuery(request.query, NowUnixMillis());
  if (!query.ok()) co_return Response::FromError(query.error());
  auto rows = co_await reports_.Usage(query->since);
  if (!rows.ok()) co_return Response::FromError(rows.error());
  // A submitter sees the work of its own jobs only.
  std::optional<std::string> only_user;
  if (who.role == api::Role::kSubmitter) only_user = who.name;
  co_return Response::Json(200, api::Encode(SummarizeUsage(*rows, *query, only_user)));
}

Response ConsoleHandlers::Stats(const Request& request) const {
  auto since = ParseStatsSince(request.query);
  if (!since.ok()) return Response::FromError(since.error());
  return Response::Json(200, api::Encode(api::StatsHistory{sample_period_.count(), samples_.Samples(*since)}));
}

}  // namespace gleaner::server
