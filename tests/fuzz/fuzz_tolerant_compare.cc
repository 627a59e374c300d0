// Fuzzes the tolerant comparison of two outputs. The input is split at its
// first 0xFF byte (or in the middle) into the two outputs. The comparison must
// not crash and must hold its invariants: it is symmetric, a looser tolerance
// never turns agreement into disagreement, a text agrees with itself, and a
// difference is one short line of printable ASCII, given exactly on disagreement.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "server/validation/tolerant_compare.h"

using namespace gleaner::server;

namespace {

TextComparison Compare(const std::string& a, const std::string& b, const Tolerance& tolerance) {
  std::istringstream in_a(a), in_b(b);
  return CompareTolerant(in_a, in_b, tolerance);
}

void Require(bool holds, const char* what, const TextComparison& c) {
  if (holds) return;
  std::fprintf(stderr, "%s (agree %d, difference '%s')\n", what, c.agree, c.difference.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find('\xff');
  std::string a = split == std::string::npos ? input.substr(0, size / 2) : input.substr(0, split);
  std::string b = split == std::string::npos ? input.substr(size / 2) : input.substr(split + 1);

  const Tolerance tolerances[] = {{0, 0}, {1e-6, 1e-12}, {0.5, 1}};  // each looser than the one before
  bool agreed = false;
  for (const Tolerance& tolerance : tolerances) {
    TextComparison c = Compare(a, b, tolerance);
    Require(c.agree == Compare(b, a, tolerance).agree, "not symmetric", c);
    Require(!agreed || c.agree, "a looser tolerance disagrees", c);
    Require(c.agree == c.difference.empty(), "a difference exactly when they disagree", c);
    Require(c.difference.size() < 512, "the difference is too long", c);
    for (char ch : c.difference) Require(ch >= 0x20 && ch < 0x7f, "the difference is not printable ASCII", c);
    agreed = c.agree;
  }
  for (const std::string& text : {a, b}) {
    TextComparison self = Compare(text, text, {});
    if (text.find('\0') == std::string::npos) Require(self.agree, "a text disagrees with itself", self);
    else Require(self.difference == "binary output differs", "a NUL is not binary", self);
  }
  return 0;
}
