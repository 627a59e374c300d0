// A "fuzzy" comparison of two text outputs, like numdiff: it decides whether
// two hosts' results of the same floating-point task agree within a tolerance
// (docs/validation.md). Pure: it reads the two streams and nothing else, in
// bounded memory, in one pass, so outputs of any size can be compared.
#pragma once

#include <istream>
#include <string>

namespace gleaner::server {

// Two numbers a and b agree when |a - b| <= max(absolute, relative * max(|a|, |b|)).
// REQUIRES: both finite and >= 0 (the job spec checks them).
struct Tolerance {
  double relative = 0;
  double absolute = 0;
};

struct TextComparison {
  bool agree = false;
  // When they disagree, where and how, in one line of ASCII, e.g.
  //   line 12, field 3: "1.2345" vs "1.2399" (difference 0.0054, relative 0.00437; tolerance relative 1e-06, absolute 0)
  // "" when they agree.
  std::string difference;
};

// Compares a and b token by token. A token is a run of bytes that are neither
// whitespace nor one of the separators ,;:()[]{}=|"' ; each separator and each
// newline is a token of its own, so lines and separators must match, while the
// amount of other whitespace (spaces, tabs, \r) does not. Fields are counted
// per line from 1, separators included.
//
// Two tokens agree when their bytes are equal, or when both are numbers
// (decimal, exponent, inf or nan forms, an optional sign) within the tolerance:
// NaN agrees only with NaN, an infinity only with the same infinity, and a
// number never with a non-number. A token longer than 4096 bytes is compared
// as bytes, 4096 at a time.
//
// A NUL byte in either stream makes the outputs binary: they disagree with
// "binary output differs". It is found wherever it lies before the first
// difference, and always within the first 64 KiB.
TextComparison CompareTolerant(std::istream& a, std::istream& b, const Tolerance& tolerance);

}  // namespace gleaner::server
