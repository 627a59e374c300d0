#include "server/validation/tolerant_compare.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace gleaner::server {
namespace {

constexpr size_t kMaxToken = 4096;     // longer runs are split into chunks of this size
constexpr size_t kBlockSize = 1 << 16;  // bytes read from a stream at a time
constexpr size_t kShownBytes = 40;      // of a token, in a difference message

bool IsSeparator(int c) { return c > 0 && std::strchr(",;:()[]{}=|\"'", c) != nullptr; }
bool IsBlank(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

struct Token {
  std::string text;        // at most kMaxToken bytes; "\n" for the end of a line
  bool continues = false;  // a chunk of an over-long run: the next token carries on from it
};

// Splits one stream into tokens, reading it a block at a time.
class TokenReader {
 public:
  explicit TokenReader(std::istream& in) : in_(in), block_(kBlockSize) {}

  // Reads the next token into `token`; false at the end of the stream, on a
  // read error (failed()) or once a NUL byte has been seen (binary()).
  bool Next(Token& token) {
    token.text.clear();
    token.continues = false;
    int c = Peek();
    while (IsBlank(c)) c = Advance();
    if (c < 0) return false;
    if (c == '\n' || IsSeparator(c)) {
      token.text.push_back(static_cast<char>(c));
      Advance();
      return true;
    }
    while (c >= 0 && c != '\n' && !IsBlank(c) && !IsSeparator(c)) {
      if (token.text.size() == kMaxToken) {
        token.continues = true;
        break;
      }
      token.text.push_back(static_cast<char>(c));
      c = Advance();
    }
    return true;
  }

  bool binary() const { return binary_; }
  bool failed() const { return in_.bad(); }

 private:
  // The next byte, or -1 at the end.
  int Peek() {
    if (pos_ == end_ && !Refill()) return -1;
    return static_cast<unsigned char>(block_[pos_]);
  }
  // Consumes a byte and returns the one after it.
  int Advance() {
    ++pos_;
    return Peek();
  }
  // Checking each block whole as it arrives finds a NUL before any token
  // read from that block is compared.
  bool Refill() {
    if (binary_ || !in_) return false;
    in_.read(block_.data(), static_cast<std::streamsize>(block_.size()));
    pos_ = 0;
    end_ = static_cast<size_t>(in_.gcount());
    if (std::memchr(block_.data(), '\0', end_) != nullptr) {
      binary_ = true;
      end_ = 0;
    }
    return end_ > 0;
  }

  std::istream& in_;
  std::vector<char> block_;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool binary_ = false;
};

// The number a whole token spells, if it is one. from_chars does not take a
// leading '+', so one is dropped first (but not "+-1"). A magnitude beyond
// the double range (e.g. 1e400) is not a number: it is compared as bytes.
std::optional<double> ParseNumber(std::string_view s) {
  if (s.starts_with('+')) {
    s.remove_prefix(1);
    if (s.starts_with('-')) return std::nullopt;
  }
  double value = 0;
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

bool Within(double a, double b, const Tolerance& tolerance) {
  if (a == b) return true;  // equal infinities too, and 0 with -0
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b)) return false;
  double allowed = std::max(tolerance.absolute, tolerance.relative * std::max(std::fabs(a), std::fabs(b)));
  return std::fabs(a - b) <= allowed;
}

// Why two numbers that are not Within the tolerance disagree.
std::string NumberDifference(double a, double b, const Tolerance& tolerance) {
  if (std::isnan(a) || std::isnan(b)) return "NaN agrees only with NaN";
  if (std::isinf(a) || std::isinf(b)) return "an infinity agrees only with the same infinity";
  double difference = std::fabs(a - b);
  double relative = difference / std::max(std::fabs(a), std::fabs(b));  // a != b, so not 0/0
  char text[160];
  std::snprintf(text, sizeof text, "difference %.3g, relative %.3g; tolerance relative %g, absolute %g", difference,
                relative, tolerance.relative, tolerance.absolute);
  return text;
}

// Why two tokens disagree: nullopt when they agree, "" when the tokens shown
// say it all. `whole` is false for a chunk of an over-long token.
std::optional<std::string> Disagreement(const Token& a, const Token& b, bool whole, const Tolerance& tolerance) {
  if (a.text == b.text) {
    if (a.continues == b.continues) return std::nullopt;
    return "one token is longer";
  }
  if (!whole || a.continues || b.continues) return "";
  std::optional<double> x = ParseNumber(a.text), y = ParseNumber(b.text);
  if (!x || !y) return "";
  if (Within(*x, *y, tolerance)) return std::nullopt;
  return NumberDifference(*x, *y, tolerance);
}

// A token as a difference message shows it: quoted, ASCII, at most
// kShownBytes of it.
std::string Shown(const Token* token) {
  if (token == nullptr) return "end of output";
  if (token->text == "\n") return "end of line";
  std::string out = "\"";
  for (char c : std::string_view(token->text).substr(0, kShownBytes)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      out += hex;
    }
  }
  if (token->text.size() > kShownBytes || token->continues) out += "...";
  return out + "\"";
}

TextComparison Differ(std::string difference) { return {false, std::move(difference)}; }

}  // namespace

TextComparison CompareTolerant(std::istream& a, std::istream& b, const Tolerance& tolerance) {
  TokenReader reader_a(a), reader_b(b);
  Token token_a, token_b;
  // Every token so far agreed, newlines included, so both streams are on the
  // same line and field.
  int64_t line = 1;
  int64_t field = 0;
  bool carried_on = false;  // the previous token continues into this one
  for (;;) {
    bool has_a = reader_a.Next(token_a);
    bool has_b = reader_b.Next(token_b);
    if (reader_a.binary() || reader_b.binary()) return Differ("binary output differs");
    if (reader_a.failed() || reader_b.failed()) return Differ("could not read the output");
    if (!has_a && !has_b) return {true, ""};
    if (!carried_on) ++field;

    std::optional<std::string> why;
    if (!has_a || !has_b) why = "";
    else why = Disagreement(token_a, token_b, !carried_on, tolerance);
    if (why) {
      std::string difference = "line " + std::to_string(line) + ", field " + std::to_string(field) + ": " +
                               Shown(has_a ? &token_a : nullptr) + " vs " + Shown(has_b ? &token_b : nullptr);
      return Differ(why->empty() ? difference : difference + " (" + *why + ")");
    }

    carried_on = token_a.continues;
    if (token_a.text == "\n") {
      ++line;
      field = 0;
    }
  }
}

}  // namespace gleaner::server
