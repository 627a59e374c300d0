// Fuzzes the server's request path from raw bytes, as HttpListener reads a
// connection: Beast's request_parser with the listener's limits (header
// first, then the body), the Request the handlers see, routing,
// authorisation, query strings (the audit log's), and the decoding and
// validation of every JSON body an endpoint accepts. Up to a few pipelined requests per input.
#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/job_spec.h"
#include "api/json.h"
#include "api/policy_spec.h"
#include "server/auth/audit.h"
#include "server/http/request.h"
#include "server/http/routes.h"

namespace {

namespace http = boost::beast::http;
using namespace gleaner;
using namespace gleaner::server;

// ListenerLimits' defaults (server/http/http_listener.h).
constexpr size_t kMaxJsonBody = 64u << 20;
constexpr uint64_t kMaxBlobBody = 16ull << 30;
constexpr size_t kMaxHeader = 16u << 10;

// Feeds `in` to `parser` until `done` says so; false on a parse error or when
// the bytes run out first (a client that stalls: the listener times it out).
template <typename Parser, typename Done>
bool Feed(Parser& parser, std::string_view& in, Done done) {
  while (!done()) {
    boost::system::error_code ec;
    size_t used = parser.put(boost::asio::buffer(in.data(), in.size()), ec);
    in.remove_prefix(used);
    if ((!ec || ec == http::error::need_more) && used > 0) continue;
    if (!ec || ec == http::error::need_more) {
      // Every byte there is was offered: this is the end of the stream.
      parser.put_eof(ec);
      return !ec && done();
    }
    if (ec) return false;
  }
  return true;
}

// Blob uploads stream to a file in the listener; here they are counted, so a
// declared 16 GiB is not reserved in memory.
struct DiscardBody {
  struct value_type {
    uint64_t size = 0;
  };
  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>&, value_type& body) : body_(body) {}
    void init(const boost::optional<uint64_t>&, boost::system::error_code& ec) { ec = {}; }
    template <class ConstBufferSequence>
    size_t put(const ConstBufferSequence& buffers, boost::system::error_code& ec) {
      ec = {};
      size_t n = boost::asio::buffer_size(buffers);
      body_.size += n;
      return n;
    }
    void finish(boost::system::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

void MustNotThrow(const Error& error) { (void)Response::FromError(error); }

template <typename T>
Result<T> DecodeBody(const std::string& body) {
  auto decoded = api::Decode<T>(body);
  if (!decoded.ok()) MustNotThrow(decoded.error());
  return decoded;
}

// The decode (and validation) step of the handler that serves `id`.
void DecodeFor(RouteId id, const std::string& body) {
  switch (id) {
    case RouteId::kSubmitJob:
      if (auto spec = DecodeBody<api::JobSpec>(body); spec.ok()) {
        if (Status st = api::ValidateJobSpec(*spec); !st.ok()) MustNotThrow(st.error());
      }
      break;
    case RouteId::kSetPolicy:
      if (auto policy = DecodeBody<api::Policy>(body); policy.ok()) {
        if (Status st = api::ValidatePolicy(*policy); !st.ok()) MustNotThrow(st.error());
      }
      break;
    case RouteId::kEnroll: (void)DecodeBody<api::EnrollRequest>(body); break;
    case RouteId::kSync: (void)DecodeBody<api::SyncRequest>(body); break;
    case RouteId::kCreateToken: (void)DecodeBody<api::TokenCreateRequest>(body); break;
    case RouteId::kBackup: (void)DecodeBody<api::BackupRequest>(body); break;
    default: break;
  }
}

// One request off the front of `in`; false when the connection would close.
bool ServeOne(std::string_view& in) {
  http::request_parser<http::empty_body> header_parser;
  header_parser.header_limit(static_cast<uint32_t>(kMaxHeader));
  header_parser.body_limit(kMaxBlobBody);
  if (!Feed(header_parser, in, [&] { return header_parser.is_header_done(); })) return false;

  const auto& h = header_parser.get();
  Request request;
  request.method = std::string(h.method_string());
  SplitTarget(h.target(), request);
  if (auto it = h.find(http::field::authorization); it != h.end()) request.bearer = BearerToken(it->value());
  if (auto it = h.find(http::field::if_none_match); it != h.end()) request.if_none_match = std::string(it->value());

  for (const auto& [name, value] : QueryParams(request.query)) (void)name, (void)value;
  if (auto audit = ParseAuditQuery(request.query, 1'700'000'000'000); !audit.ok()) MustNotThrow(audit.error());

  auto route = MatchRoute(request.method, request.path);
  if (!route.ok()) {
    MustNotThrow(route.error());
    return false;  // refused before the body: the listener closes the connection
  }
  for (api::Role role : {api::Role::kAdmin, api::Role::kSubmitter, api::Role::kViewer, api::Role::kAgent}) {
    if (Status st = Authorize(route->id, Principal{role, "fuzz", role == api::Role::kAgent ? 7 : 0}); !st.ok()) {
      MustNotThrow(st.error());
    }
  }
  auto declared = header_parser.content_length();
  if (route->id != RouteId::kBlobPut && declared && *declared > kMaxJsonBody) return false;  // 413
  bool keep_alive = h.keep_alive();
  if (route->id == RouteId::kBlobPut) {
    http::request_parser<DiscardBody> parser(std::move(header_parser));
    parser.eager(true);  // as http::async_read and async_read_some loops do
    parser.body_limit(kMaxBlobBody);
    return Feed(parser, in, [&] { return parser.is_done(); }) && keep_alive;
  }
  http::request_parser<http::string_body> parser(std::move(header_parser));
  parser.eager(true);  // as http::async_read does
  parser.body_limit(kMaxJsonBody);
  if (!Feed(parser, in, [&] { return parser.is_done(); })) return false;
  request.body = std::move(parser.get().body());
  DecodeFor(route->id, request.body);
  return keep_alive;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  for (int i = 0; i < 4 && !in.empty() && ServeOne(in); ++i) {
  }
  return 0;
}
