#include "server/http/request.h"

#include <cctype>

#include "api/json.h"

namespace gleaner::server {

Response Response::FromError(const Error& error) {
  return Json(HttpStatusOf(error.code), api::Encode(api::ErrorBody{ErrorCodeName(error.code), error.message}));
}

std::string BearerToken(std::string_view authorization) {
  constexpr std::string_view kPrefix = "Bearer ";
  if (authorization.size() <= kPrefix.size() || authorization.substr(0, kPrefix.size()) != kPrefix) return "";
  return std::string(authorization.substr(kPrefix.size()));
}

void SplitTarget(std::string_view target, Request& request) {
  size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  request.query = question == std::string_view::npos ? "" : std::string(target.substr(question + 1));
}

std::vector<std::pair<std::string, std::string>> QueryParams(std::string_view query) {
  auto decode = [](std::string_view in) {
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
      char c = in[i];
      if (c == '+') {
        out += ' ';
      } else if (c == '%' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
                 std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
        out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += c;
      }
    }
    return out;
  };
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view part = query.substr(start, end - start);
    start = end + 1;
    if (part.empty()) continue;
    size_t eq = part.find('=');
    params.emplace_back(decode(part.substr(0, eq)), eq == std::string_view::npos ? "" : decode(part.substr(eq + 1)));
  }
  return params;
}

}  // namespace gleaner::server
