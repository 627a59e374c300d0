#include "api/token_string.h"

#include "common/sha256.h"

namespace gleaner::api {

namespace {

constexpr std::string_view kScheme = "gleaner://";

bool IsSecretChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool IsSecret(std::string_view s) {
  if (s.empty() || s.size() > 256) return false;
  for (char c : s) {
    if (!IsSecretChar(c)) return false;
  }
  return true;
}

// HOST:PORT, HOST a name or an IPv4 address or [IPv6].
bool IsHostPort(std::string_view s) {
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size() || s.size() > 300) return false;
  std::string_view host = s.substr(0, colon), port = s.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) return false;
  if (host.front() == '[') return host.back() == ']' && host.size() > 2;
  for (char c : host) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<TokenString> ParseTokenString(const std::string& text) {
  if (text.compare(0, kScheme.size(), kScheme) != 0) {
    if (!IsSecret(text)) {
      return InvalidArgument("the token is neither a secret nor a gleaner:// token string; copy it again from "
                             "`gleaner token create` (it is one line)");
    }
    return TokenString{text, "", ""};
  }
  auto bad = [](const std::string& why) {
    return InvalidArgument("the token string " + why +
                           "; it looks like gleaner://SECRET@HOST:PORT?ca=FINGERPRINT — copy it again from "
                           "`gleaner token create`");
  };
  std::string_view rest(text);
  rest.remove_prefix(kScheme.size());
  size_t at = rest.find('@');
  if (at == std::string_view::npos) return bad("has no '@' between secret and server");
  std::string_view secret = rest.substr(0, at);
  if (!IsSecret(secret)) return bad("has a malformed secret");
  rest.remove_prefix(at + 1);
  size_t question = rest.find('?');
  if (question == std::string_view::npos) return bad("does not say how to trust the server (no '?ca=')");
  std::string_view host_port = rest.substr(0, question);
  if (!host_port.empty() && host_port.back() == '/') host_port.remove_suffix(1);
  if (!IsHostPort(host_port)) return bad("has a malformed HOST:PORT");
  std::string_view query = rest.substr(question + 1);
  TokenString token{std::string(secret), "", ""};
  if (query == "http") {
    token.server_url = "http://" + std::string(host_port);
  } else if (query.compare(0, 3, "ca=") == 0 && IsSha256Hex(query.substr(3))) {
    token.server_url = "https://" + std::string(host_port);
    token.ca_sha256 = std::string(query.substr(3));
  } else {
    return bad("has a malformed '?ca=' fingerprint (64 lowercase hex digits)");
  }
  return token;
}

std::string FormatTokenString(const TokenString& token) {
  size_t sep = token.server_url.find("://");
  std::string scheme = token.server_url.substr(0, sep);
  std::string host_port = token.server_url.substr(sep + 3);
  std::string trust = scheme == "https" ? "ca=" + token.ca_sha256 : "http";
  return std::string(kScheme) + token.secret + "@" + host_port + "?" + trust;
}

}  // namespace gleaner::api
