#include "api/requirements.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <limits>

#include "common/units.h"

namespace gleaner::api {

namespace {

constexpr size_t kMaxExpressionBytes = 4096;
constexpr int kMaxDepth = 64;  // nesting of parentheses and '!'

struct FactInfo {
  const char* name;
  Fact fact;
  ValueKind kind;
};
constexpr FactInfo kFacts[] = {
    {"os", Fact::kOs, ValueKind::kString},
    {"arch", Fact::kArch, ValueKind::kString},
    {"cores", Fact::kCores, ValueKind::kCount},
    {"memory", Fact::kMemory, ValueKind::kSize},
    {"gpus", Fact::kGpus, ValueKind::kCount},
    {"hostname", Fact::kHostname, ValueKind::kString},
    {"agent_version", Fact::kAgentVersion, ValueKind::kString},
    {"sandbox", Fact::kSandbox, ValueKind::kString},
    {"sandboxed", Fact::kSandboxed, ValueKind::kBool},
};
constexpr std::string_view kLabelPrefix = "label.";

const char* KindName(ValueKind k) {
  switch (k) {
    case ValueKind::kBool: return "true or false";
    case ValueKind::kCount: return "a number";
    case ValueKind::kSize: return "a size (e.g. 8G)";
    case ValueKind::kDuration: return "a duration (e.g. 30m)";
    case ValueKind::kString: return "a string";
  }
  return "?";
}

bool Numeric(ValueKind k) { return k == ValueKind::kCount || k == ValueKind::kSize || k == ValueKind::kDuration; }
// A plain number goes with a size (bytes) or a duration (ms); a size never with a duration.
bool Comparable(ValueKind a, ValueKind b) {
  if (a == b) return true;
  return Numeric(a) && Numeric(b) && (a == ValueKind::kCount || b == ValueKind::kCount);
}

bool LabelChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Shown in messages: control characters as '?', long text cut.
std::string Shown(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 40)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return s.size() > 40 ? out + "..." : out;
}

std::string SizeText(int64_t bytes) {
  static constexpr std::pair<int64_t, const char*> kUnits[] = {
      {int64_t{1} << 40, "T"}, {int64_t{1} << 30, "G"}, {int64_t{1} << 20, "M"}, {int64_t{1} << 10, "K"}};
  for (auto [unit, suffix] : kUnits) {
    if (bytes != 0 && bytes % unit == 0) return std::to_string(bytes / unit) + suffix;
  }
  return std::to_string(bytes) + "B";
}

}  // namespace

std::string OsFamily(const HostFacts& facts) {
  if (!facts.platform.empty()) return Lower(facts.platform);
  // Agents that predate `platform` name the OS only in words.
  std::string os = Lower(facts.os);
  if (os.find("windows") != std::string::npos) return "windows";
  if (os.find("darwin") != std::string::npos || os.find("mac") != std::string::npos) return "macos";
  return "linux";
}

std::string SandboxKind(const HostFacts& facts) {
  if (facts.sandbox.empty()) return "none";
  size_t end = facts.sandbox.find_first_of(" (");
  return facts.sandbox.substr(0, end);
}

std::string FactNames() {
  std::string out;
  for (const auto& f : kFacts) out += std::string(out.empty() ? "" : ", ") + f.name;
  return out + " and label.NAME";
}

int CompareVersions(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      size_t ie = i, je = j;
      while (ie < a.size() && digit(a[ie])) ++ie;
      while (je < b.size() && digit(b[je])) ++je;
      // Leading zeros aside, the longer run of digits is the larger number.
      size_t is = i, js = j;
      while (is + 1 < ie && a[is] == '0') ++is;
      while (js + 1 < je && b[js] == '0') ++js;
      if (ie - is != je - js) return ie - is < je - js ? -1 : 1;
      int c = a.substr(is, ie - is).compare(b.substr(js, je - js));
      if (c != 0) return c < 0 ? -1 : 1;
      i = ie;
      j = je;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]) ? -1 : 1;
      ++i;
      ++j;
    }
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

bool IsLabelName(const std::string& name) {
  return !name.empty() && name.size() <= 63 && std::isalpha(static_cast<unsigned char>(name[0])) &&
         std::all_of(name.begin(), name.end(), LabelChar);
}

Status CheckLabel(const std::string& name, const std::string& value) {
  if (!IsLabelName(name)) {
    return InvalidArgument("label name '" + Shown(name) +
                           "' is not valid: 1 to 63 letters, digits, '_', '-' or '.', starting with a letter");
  }
  if (value.size() > 256) return InvalidArgument("the value of label " + name + " is longer than 256 bytes");
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return InvalidArgument("the value of label " + name + " contains a control character");
    }
  }
  return OkStatus();
}

// --- lexer and parser ------------------------------------------------------

class RequirementParser {
 public:
  RequirementParser(const std::string& text, const char* what) : text_(text), what_(what) {}

  Result<Expression> Parse(bool rank) {
    if (text_.size() > kMaxExpressionBytes) {
      return InvalidArgument(std::string(what_) + " is " + std::to_string(text_.size()) + " bytes long; at most " +
                             std::to_string(kMaxExpressionBytes) + " are allowed");
    }
    Expression e;
    SkipSpace();
    if (pos_ == text_.size()) return e;  // empty: no requirement, no rank
    auto root = ParseOr(e, 0);
    if (!root.ok()) return root.error();
    SkipSpace();
    if (pos_ != text_.size()) return Expected("'&&', '||' or the end", pos_);
    e.root_ = *root;
    ValueKind kind = e.nodes_[static_cast<size_t>(*root)].kind;
    if (!rank && kind != ValueKind::kBool) {
      return TypeError(0, std::string(what_) + " must be true or false, e.g. memory >= 8G, but this is " +
                              KindName(kind));
    }
    if (rank && kind == ValueKind::kString) {
      return TypeError(0, std::string(what_) + " must be a number (higher is better), e.g. memory, but this is " +
                              KindName(kind));
    }
    if (!rank) e.CollectClauses(e.root_, e.clauses_);
    return e;
  }

 private:
  using Op = Expression::Op;
  using Node = Expression::Node;

  struct Token {
    enum class Kind { kEnd, kIdent, kNumber, kString, kPunct } kind = Kind::kEnd;
    std::string text;  // identifier, punctuation, or the string's value
    Node literal;      // kNumber
    size_t at = 0;
  };

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  Error At(size_t at, const std::string& message) const {
    std::string caret(at, ' ');
    for (size_t i = 0; i < at && i < text_.size(); ++i) {
      if (text_[i] == '\t') caret[i] = '\t';
    }
    return InvalidArgument(std::string(what_) + ": at " + std::to_string(at + 1) + ": " + message + "\n  " +
                           Shown(text_.size() > 80 ? text_.substr(0, 80) : text_) +
                           (at < 80 ? "\n  " + caret + "^" : ""));
  }
  Error Expected(const std::string& what, size_t at) const {
    std::string found = at >= text_.size() ? "the end" : "'" + Shown(std::string_view(text_).substr(at, 12)) + "'";
    return At(at, "expected " + what + ", found " + found);
  }
  Error TypeError(size_t at, const std::string& message) const { return At(at, message); }

  Result<Token> Next() {
    SkipSpace();
    Token t;
    t.at = pos_;
    if (pos_ >= text_.size()) return t;
    char c = text_[pos_];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t end = pos_;
      while (end < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_')) ++end;
      t.kind = Token::Kind::kIdent;
      t.text = text_.substr(pos_, end - pos_);
      if (t.text == "label" && end < text_.size() && text_[end] == '.') {
        size_t name_end = end + 1;
        while (name_end < text_.size() && LabelChar(text_[name_end])) ++name_end;
        t.text = text_.substr(pos_, name_end - pos_);
        end = name_end;
      }
      pos_ = end;
      return t;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) return Number(t);
    if (c == '"' || c == '\'') return String(t, c);
    static constexpr const char* kPunct[] = {"&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "(", ")", "[", "]", ","};
    for (const char* p : kPunct) {
      std::string_view sym(p);
      if (std::string_view(text_).substr(pos_, sym.size()) == sym) {
        t.kind = Token::Kind::kPunct;
        t.text = sym;
        pos_ += sym.size();
        return t;
      }
    }
    if (c == '=') return At(pos_, "'=' alone is not an operator; compare with '=='");
    if (c == '&') return At(pos_, "'&' alone is not an operator; use '&&'");
    if (c == '|') return At(pos_, "'|' alone is not an operator; use '||'");
    return At(pos_, "unexpected character '" + Shown(std::string(1, c)) + "'");
  }

  Result<Token> Number(Token t) {
    size_t end = pos_;
    while (end < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[end])) || text_[end] == '.')) ++end;
    size_t unit_end = end;
    auto alpha = [&](size_t k) { return k < text_.size() && std::isalpha(static_cast<unsigned char>(text_[k])); };
    auto digit = [&](size_t k) { return k < text_.size() && std::isdigit(static_cast<unsigned char>(text_[k])); };
    while (alpha(unit_end)) ++unit_end;
    // A duration may have several parts: 1h30m.
    while (unit_end > end && std::islower(static_cast<unsigned char>(text_[end])) && digit(unit_end)) {
      while (digit(unit_end)) ++unit_end;
      while (alpha(unit_end)) ++unit_end;
    }
    std::string digits = text_.substr(pos_, end - pos_);
    std::string unit = text_.substr(end, unit_end - end);
    std::string whole = digits + unit;
    t.kind = Token::Kind::kNumber;
    t.literal.op = Op::kNumber;
    if (unit.empty()) {
      if (digits.find('.') != std::string::npos) return At(pos_, "'" + digits + "' is not a whole number");
      int64_t v = 0;
      for (char d : digits) {
        if (v > (std::numeric_limits<int64_t>::max() - (d - '0')) / 10) return At(pos_, "the number is too large");
        v = v * 10 + (d - '0');
      }
      t.literal.kind = ValueKind::kCount;
      t.literal.number = v;
    } else if (std::isupper(static_cast<unsigned char>(unit[0]))) {
      auto size = ParseSize(whole);
      if (!size.ok()) return At(pos_, "'" + Shown(whole) + "' is not a size: " + size.error().message);
      t.literal.kind = ValueKind::kSize;
      t.literal.number = *size;
      // Whole numbers are counted exactly: ParseSize goes through a double, which rounds past 2^53, and a
      // printed size must parse back to the same bytes.
      if (digits.find('.') == std::string::npos) {
        auto unit_bytes = ParseSize("1" + unit);
        int64_t v = 0;
        for (char d : digits) {
          if (v > (std::numeric_limits<int64_t>::max() - (d - '0')) / 10) return At(pos_, "the size is too large");
          v = v * 10 + (d - '0');
        }
        if (!unit_bytes.ok() || *unit_bytes <= 0 || v > std::numeric_limits<int64_t>::max() / *unit_bytes) {
          return At(pos_, "the size is too large");
        }
        t.literal.number = v * *unit_bytes;
      }
    } else {
      auto d = ParseDuration(whole);
      if (!d.ok()) {
        return At(pos_, "'" + Shown(whole) + "' has an unknown unit: sizes take K, M, G or T (8G), durations ms, s, "
                        "m, h or d (30m)");
      }
      t.literal.kind = ValueKind::kDuration;
      t.literal.number = d->count();
    }
    pos_ = unit_end;
    return t;
  }

  Result<Token> String(Token t, char quote) {
    size_t i = pos_ + 1;
    std::string value;
    while (i < text_.size() && text_[i] != quote) {
      if (text_[i] == '\\' && i + 1 < text_.size()) ++i;
      value += text_[i++];
    }
    if (i >= text_.size()) return At(pos_, std::string("the string has no closing ") + quote);
    pos_ = i + 1;
    t.kind = Token::Kind::kString;
    t.text = std::move(value);
    return t;
  }

  Result<Token> Peek() {
    size_t saved = pos_;
    auto t = Next();
    pos_ = saved;
    return t;
  }
  bool IsPunct(const Token& t, std::string_view p) const { return t.kind == Token::Kind::kPunct && t.text == p; }
  bool IsWord(const Token& t, std::string_view w) const { return t.kind == Token::Kind::kIdent && t.text == w; }

  int32_t Add(Expression& e, Node n) {
    e.nodes_.push_back(std::move(n));
    return static_cast<int32_t>(e.nodes_.size() - 1);
  }
  const Node& At(const Expression& e, int32_t n) const { return e.nodes_[static_cast<size_t>(n)]; }

  Result<int32_t> Logical(Expression& e, Op op, int32_t left, int32_t right, size_t at) {
    for (int32_t side : {left, right}) {
      if (At(e, side).kind != ValueKind::kBool) {
        return TypeError(at, std::string("'") + (op == Op::kAnd ? "&&" : "||") + "' joins conditions (true or false), "
                             "not " + KindName(At(e, side).kind));
      }
    }
    Node n;
    n.op = op;
    n.left = left;
    n.right = right;
    return Add(e, std::move(n));
  }

  Result<int32_t> ParseOr(Expression& e, int depth) { return ParseLogical(e, depth, Op::kOr); }

  // A chain of operands joined by `op`: '||' joins '&&' chains, which join '!'s.
  Result<int32_t> ParseLogical(Expression& e, int depth, Op op) {
    const char* sym = op == Op::kOr ? "||" : "&&";
    auto operand = [&] { return op == Op::kOr ? ParseLogical(e, depth, Op::kAnd) : ParseNot(e, depth); };
    auto left = operand();
    if (!left.ok()) return left;
    for (;;) {
      auto t = Peek();
      if (!t.ok()) return t.error();
      if (!IsPunct(*t, sym)) return left;
      (void)Next();
      auto right = operand();
      if (!right.ok()) return right;
      left = Logical(e, op, *left, *right, t->at);
      if (!left.ok()) return left;
    }
  }

  Result<int32_t> ParseNot(Expression& e, int depth) {
    if (depth > kMaxDepth) return At(pos_, "the expression nests more than " + std::to_string(kMaxDepth) + " levels deep");
    auto t = Peek();
    if (!t.ok()) return t.error();
    if (!IsPunct(*t, "!")) return ParseComparison(e, depth);
    (void)Next();
    auto operand = ParseNot(e, depth + 1);
    if (!operand.ok()) return operand;
    if (At(e, *operand).kind != ValueKind::kBool) {
      return TypeError(t->at, std::string("'!' negates a condition (true or false), not ") +
                                  KindName(At(e, *operand).kind));
    }
    Node n;
    n.op = Op::kNot;
    n.left = *operand;
    return Add(e, std::move(n));
  }

  Result<int32_t> ParseComparison(Expression& e, int depth) {
    auto left = ParsePrimary(e, depth);
    if (!left.ok()) return left;
    auto t = Peek();
    if (!t.ok()) return t.error();
    static constexpr std::pair<const char*, Op> kOps[] = {{"==", Op::kEq}, {"!=", Op::kNe}, {"<=", Op::kLe},
                                                          {">=", Op::kGe}, {"<", Op::kLt},  {">", Op::kGt}};
    ValueKind lk = At(e, *left).kind;
    if (IsWord(*t, "in")) {
      (void)Next();
      return ParseIn(e, *left, t->at);
    }
    for (auto [sym, op] : kOps) {
      if (!IsPunct(*t, sym)) continue;
      (void)Next();
      auto right = ParsePrimary(e, depth);
      if (!right.ok()) return right;
      ValueKind rk = At(e, *right).kind;
      if (!Comparable(lk, rk)) {
        return TypeError(t->at, std::string("'") + sym + "' compares " + KindName(lk) + " with " + KindName(rk) +
                                    "; compare like with like");
      }
      bool ordered = op != Op::kEq && op != Op::kNe;
      if (ordered && lk == ValueKind::kBool) {
        return TypeError(t->at, std::string("'") + sym + "' orders numbers or versions, not true or false");
      }
      Node n;
      n.op = op;
      n.left = *left;
      n.right = *right;
      return Add(e, std::move(n));
    }
    return left;
  }

  Result<int32_t> ParseIn(Expression& e, int32_t left, size_t in_at) {
    auto open = Next();
    if (!open.ok()) return open.error();
    if (!IsPunct(*open, "[")) return Expected("'[' after 'in', as in os in [\"linux\", \"windows\"]", open->at);
    Node n;
    n.op = Op::kIn;
    n.left = left;
    ValueKind lk = At(e, left).kind;
    for (;;) {
      size_t at = pos_;
      auto item = Literal(e);
      if (!item.ok()) return item.error();
      if (!*item) return Expected("a literal (a string, a number or true/false) in the list", at);
      if (!Comparable(lk, At(e, **item).kind)) {
        return TypeError(in_at, std::string("'in' looks for ") + KindName(lk) + " in a list holding " +
                                    KindName(At(e, **item).kind));
      }
      n.list.push_back(**item);
      auto sep = Next();
      if (!sep.ok()) return sep.error();
      if (IsPunct(*sep, "]")) break;
      if (!IsPunct(*sep, ",")) return Expected("',' or ']'", sep->at);
    }
    return Add(e, std::move(n));
  }

  // A literal at the position, or nullopt (nothing consumed) when there is none.
  Result<std::optional<int32_t>> Literal(Expression& e) {
    size_t saved = pos_;
    auto t = Next();
    if (!t.ok()) return t.error();
    Node n;
    if (t->kind == Token::Kind::kNumber) {
      n = t->literal;
    } else if (t->kind == Token::Kind::kString) {
      n.op = Op::kString;
      n.kind = ValueKind::kString;
      n.text = t->text;
    } else if (IsWord(*t, "true") || IsWord(*t, "false")) {
      n.op = Op::kBool;
      n.kind = ValueKind::kBool;
      n.number = t->text == "true";
    } else {
      pos_ = saved;
      return std::optional<int32_t>();
    }
    return std::optional<int32_t>(Add(e, std::move(n)));
  }

  Result<int32_t> ParsePrimary(Expression& e, int depth) {
    auto literal = Literal(e);
    if (!literal.ok()) return literal.error();
    if (*literal) return **literal;
    auto t = Next();
    if (!t.ok()) return t.error();
    if (IsPunct(*t, "(")) {
      if (depth > kMaxDepth) return At(t->at, "the expression nests more than " + std::to_string(kMaxDepth) + " levels deep");
      auto inner = ParseOr(e, depth + 1);
      if (!inner.ok()) return inner;
      auto close = Next();
      if (!close.ok()) return close.error();
      if (!IsPunct(*close, ")")) return Expected("')'", close->at);
      return inner;
    }
    if (t->kind != Token::Kind::kIdent) {
      return Expected("a fact (" + FactNames() + "), a number, a string, true, false or '('", t->at);
    }
    Node n;
    n.op = Op::kFact;
    if (t->text.starts_with(kLabelPrefix)) {
      n.fact = Fact::kLabel;
      n.kind = ValueKind::kString;
      n.text = t->text.substr(kLabelPrefix.size());
      if (!IsLabelName(n.text)) {
        return At(t->at + kLabelPrefix.size(), "expected a label's name after 'label.' (letters, digits, '_', '-', "
                                               "'.', starting with a letter)");
      }
      return Add(e, std::move(n));
    }
    for (const auto& f : kFacts) {
      if (t->text == f.name) {
        n.fact = f.fact;
        n.kind = f.kind;
        return Add(e, std::move(n));
      }
    }
    return At(t->at, "unknown fact '" + Shown(t->text) + "'; the facts are " + FactNames() +
                         " (a label an admin set is label.NAME)");
  }

  const std::string& text_;
  const char* what_;
  size_t pos_ = 0;
};

Result<Expression> Expression::ParseRequirements(const std::string& text) {
  return RequirementParser(text, "requirements").Parse(false);
}

Result<Expression> Expression::ParseRank(const std::string& text) {
  return RequirementParser(text, "rank").Parse(true);
}

// --- evaluation ------------------------------------------------------------

ValueKind Expression::kind() const {
  return empty() ? ValueKind::kBool : nodes_[static_cast<size_t>(root_)].kind;
}

bool Expression::Matches(const MatchFacts& host) const { return empty() || Bool(root_, host); }

int64_t Expression::Rank(const MatchFacts& host) const {
  if (empty()) return 0;
  return kind() == ValueKind::kBool ? (Bool(root_, host) ? 1 : 0) : Number(root_, host);
}

int64_t Expression::Number(int32_t i, const MatchFacts& host) const {
  const Node& n = nodes_[static_cast<size_t>(i)];
  if (n.op == Op::kNumber) return n.number;
  switch (n.fact) {
    case Fact::kCores: return host.facts.cores;
    case Fact::kMemory: return host.facts.memory;
    case Fact::kGpus: return host.facts.gpus;
    default: return 0;
  }
}

std::string_view Expression::String(int32_t i, const MatchFacts& host) const {
  const Node& n = nodes_[static_cast<size_t>(i)];
  if (n.op == Op::kString) return n.text;
  switch (n.fact) {
    case Fact::kOs: return host.os;
    case Fact::kArch: return host.facts.arch;
    case Fact::kHostname: return host.facts.hostname;
    case Fact::kAgentVersion: return host.facts.agent_version;
    case Fact::kSandbox: return host.sandbox;
    case Fact::kLabel: {
      auto it = host.labels.find(n.text);
      return it == host.labels.end() ? std::string_view() : std::string_view(it->second);
    }
    default: return {};
  }
}

// Compares a comparison's two operands: -1, 0 or 1; strings, unless
// `ordered`, only as equal (0) or not (1).
int Expression::Compare(const Node& n, const MatchFacts& host, bool ordered) const {
  const Node& left = nodes_[static_cast<size_t>(n.left)];
  switch (left.kind) {
    case ValueKind::kBool: {
      bool a = Bool(n.left, host), b = Bool(n.right, host);
      return a == b ? 0 : a < b ? -1 : 1;
    }
    case ValueKind::kString: {
      std::string_view a = String(n.left, host), b = String(n.right, host);
      if (ordered) return CompareVersions(a, b);
      return a == b ? 0 : 1;
    }
    default: {
      int64_t a = Number(n.left, host), b = Number(n.right, host);
      return a == b ? 0 : a < b ? -1 : 1;
    }
  }
}

bool Expression::Bool(int32_t i, const MatchFacts& host) const {
  const Node& n = nodes_[static_cast<size_t>(i)];
  switch (n.op) {
    case Op::kBool: return n.number != 0;
    case Op::kFact: return n.fact == Fact::kSandboxed && host.sandbox != "none";
    case Op::kNot: return !Bool(n.left, host);
    case Op::kAnd: return Bool(n.left, host) && Bool(n.right, host);
    case Op::kOr: return Bool(n.left, host) || Bool(n.right, host);
    case Op::kEq: return Compare(n, host, false) == 0;
    case Op::kNe: return Compare(n, host, false) != 0;
    case Op::kLt: return Compare(n, host, true) < 0;
    case Op::kLe: return Compare(n, host, true) <= 0;
    case Op::kGt: return Compare(n, host, true) > 0;
    case Op::kGe: return Compare(n, host, true) >= 0;
    case Op::kIn: {
      Node probe;
      probe.left = n.left;
      for (int32_t item : n.list) {
        probe.right = item;
        if (Compare(probe, host, false) == 0) return true;
      }
      return false;
    }
    default: return false;
  }
}

void Expression::CollectClauses(int32_t i, std::vector<int32_t>& out) const {
  const Node& n = nodes_[static_cast<size_t>(i)];
  if (n.op == Op::kAnd) {
    CollectClauses(n.left, out);
    CollectClauses(n.right, out);
  } else {
    out.push_back(i);
  }
}

std::vector<std::string> Expression::Clauses() const {
  std::vector<std::string> out;
  for (int32_t c : clauses_) out.push_back(Print(c));
  return out;
}

bool Expression::ClauseMatches(size_t clause, const MatchFacts& host) const {
  return clause >= clauses_.size() || Bool(clauses_[clause], host);
}

// --- printing --------------------------------------------------------------

std::string Expression::Print(int32_t i) const {
  const Node& n = nodes_[static_cast<size_t>(i)];
  auto precedence = [this](int32_t j) {
    switch (nodes_[static_cast<size_t>(j)].op) {
      case Op::kOr: return 1;
      case Op::kAnd: return 2;
      case Op::kNot: return 3;
      case Op::kEq: case Op::kNe: case Op::kLt: case Op::kLe: case Op::kGt: case Op::kGe: case Op::kIn:
        return 4;
      default: return 5;
    }
  };
  // An operand is wrapped when it binds more loosely than its place needs.
  auto operand = [&](int32_t j, int at_least) {
    std::string s = Print(j);
    return precedence(j) < at_least ? "(" + s + ")" : s;
  };
  switch (n.op) {
    case Op::kBool: return n.number ? "true" : "false";
    case Op::kString: return Quote(n.text);
    case Op::kNumber:
      if (n.kind == ValueKind::kSize) return SizeText(n.number);
      if (n.kind == ValueKind::kDuration) return FormatDuration(Millis(n.number));
      return std::to_string(n.number);
    case Op::kFact: {
      if (n.fact == Fact::kLabel) return std::string(kLabelPrefix) + n.text;
      for (const auto& f : kFacts) {
        if (f.fact == n.fact) return f.name;
      }
      return "?";
    }
    case Op::kNot: return "!" + operand(n.left, 3);
    case Op::kAnd: return operand(n.left, 2) + " && " + operand(n.right, 3);
    case Op::kOr: return operand(n.left, 1) + " || " + operand(n.right, 2);
    case Op::kIn: {
      std::string s = operand(n.left, 5) + " in [";
      for (size_t k = 0; k < n.list.size(); ++k) s += (k ? ", " : "") + Print(n.list[k]);
      return s + "]";
    }
    default: {
      static constexpr std::pair<Op, const char*> kSymbols[] = {{Op::kEq, "=="}, {Op::kNe, "!="}, {Op::kLt, "<"},
                                                                {Op::kLe, "<="}, {Op::kGt, ">"},  {Op::kGe, ">="}};
      const char* sym = "?";
      for (auto [op, s] : kSymbols) {
        if (op == n.op) sym = s;
      }
      return operand(n.left, 5) + " " + sym + " " + operand(n.right, 5);
    }
  }
}

std::string Expression::ToString() const { return empty() ? "" : Print(root_); }

}  // namespace gleaner::api
