// PrometheusText: builds a page in the Prometheus text exposition format
// (version 0.0.4): one HELP and TYPE line per family, then its samples.
// Pure and single-threaded; the caller gathers the values first.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/histogram.h"

namespace gleaner::server {

using Labels = std::vector<std::pair<std::string, std::string>>;

class PrometheusText {
 public:
  // Starts a family; `type` is "counter", "gauge" or "histogram".
  void Family(const std::string& name, const char* type, const std::string& help);
  void Sample(const std::string& name, const Labels& labels, double value);
  // The _bucket (cumulative, with le), _sum and _count series of `h`.
  void Histogram(const std::string& name, const Labels& labels, const gleaner::Histogram& h);

  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// A label value with \, " and newline escaped as the format requires.
std::string EscapeLabelValue(const std::string& value);

}  // namespace gleaner::server
