// Requirements and rank (docs/scheduling.md): a small expression language
// over a host's facts and an admin's labels, e.g.
//   os == "linux" && memory >= 8G && (cores >= 4 || label.site in ["lab3","lab4"])
// Parse() checks the grammar, the names and the types once, at submit, and
// says where an error is and what was expected; a parsed Expression then
// evaluates against any host without failing. Pure; an Expression is
// immutable after parsing, so it may be shared and read from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/types.h"
#include "common/status.h"

namespace gleaner::api {

// The static type of a value: requirements are kBool, a rank is numeric.
enum class ValueKind { kBool, kCount, kSize, kDuration, kString };

// The host facts an expression names (their list is FactNames()).
enum class Fact { kOs, kArch, kCores, kMemory, kGpus, kHostname, kAgentVersion, kSandbox, kSandboxed, kLabel };

// The value a fact has on a host, as an expression sees it: `os` is the
// platform ("linux", "windows", "macos"), `sandbox` the kind ("bubblewrap",
// "none").
std::string OsFamily(const HostFacts& facts);
std::string SandboxKind(const HostFacts& facts);

// What one host offers an expression: its facts and its admin-set labels,
// which must outlive it, with the derived facts worked out once.
struct MatchFacts {
  MatchFacts(const HostFacts& f, const std::map<std::string, std::string>& l)
      : facts(f), labels(l), os(OsFamily(f)), sandbox(SandboxKind(f)) {}
  const HostFacts& facts;
  const std::map<std::string, std::string>& labels;
  const std::string os;
  const std::string sandbox;
};

// "os, arch, cores, ..." for messages.
std::string FactNames();

class Expression {
 public:
  // The empty expression: matches every host, ranks every host 0.
  Expression() = default;

  // Parses `text` as a requirement (it must be true or false) or a rank (a
  // number, or true/false counting 1/0). An error names the position (from 1)
  // and what was expected there.
  static Result<Expression> ParseRequirements(const std::string& text);
  static Result<Expression> ParseRank(const std::string& text);

  bool empty() const { return nodes_.empty(); }
  ValueKind kind() const;
  // Requirements: whether the host meets them (true when empty).
  bool Matches(const MatchFacts& host) const;
  // Rank: the host's value, higher is better (0 when empty).
  int64_t Rank(const MatchFacts& host) const;
  // The clauses of a requirement joined by && at its top, each printed, and
  // whether `host` meets it: for "why is my job idle".
  std::vector<std::string> Clauses() const;
  bool ClauseMatches(size_t clause, const MatchFacts& host) const;

  // A canonical spelling that parses back to the same expression.
  std::string ToString() const;

 private:
  enum class Op { kBool, kNumber, kString, kFact, kNot, kAnd, kOr, kEq, kNe, kLt, kLe, kGt, kGe, kIn };
  struct Node {
    Op op = Op::kBool;
    ValueKind kind = ValueKind::kBool;
    int64_t number = 0;             // kBool (0/1), kNumber
    std::string text;               // kString; kFact kLabel: the label's name
    Fact fact = Fact::kOs;          // kFact
    int32_t left = -1, right = -1;  // operands (kNot: left); kIn: right is the first of `list`
    std::vector<int32_t> list;      // kIn: the literals
  };
  friend class RequirementParser;

  bool Bool(int32_t n, const MatchFacts& host) const;
  int64_t Number(int32_t n, const MatchFacts& host) const;
  std::string_view String(int32_t n, const MatchFacts& host) const;
  int Compare(const Node& n, const MatchFacts& host, bool ordered) const;
  std::string Print(int32_t n) const;
  void CollectClauses(int32_t n, std::vector<int32_t>& out) const;

  std::vector<Node> nodes_;
  int32_t root_ = -1;
  std::vector<int32_t> clauses_;
};

// Compares two strings as versions: runs of digits by value, the rest by
// bytes ("1.10" > "1.9"). -1, 0 or 1.
int CompareVersions(std::string_view a, std::string_view b);

// A label's name: 1 to 63 letters, digits, '_', '-' or '.', starting with a
// letter. Its value: at most 256 bytes with no control characters.
bool IsLabelName(const std::string& name);
Status CheckLabel(const std::string& name, const std::string& value);

}  // namespace gleaner::api
