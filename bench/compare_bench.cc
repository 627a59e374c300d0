// compare_bench: how fast the server compares two replicas' text outputs
// within a tolerance (src/server/validation/tolerant_compare.h), against
// reading the same two files byte by byte, in one run. Writes two files of
// --megabytes of numeric text whose numbers differ in the 12th digit, so
// every number is parsed and compared. Prints one JSON line.
//
//   build/gleaner-compare-bench [--megabytes 200] [--dir /tmp]
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "server/validation/tolerant_compare.h"

namespace {

using Clock = std::chrono::steady_clock;

// Lines like "step 12 energy -1.234567890123e+02 3.14159265358979 ok".
void WriteOutput(const std::string& path, int64_t bytes, bool nudged) {
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> value(-1e3, 1e3);
  std::ofstream out(path, std::ios::binary);
  char line[160];
  int64_t written = 0;
  for (int64_t step = 0; written < bytes; ++step) {
    double a = value(random), b = value(random);
    if (nudged) {
      a *= 1 + 1e-12;
      b *= 1 - 1e-12;
    }
    int n = std::snprintf(line, sizeof line, "step %lld energy %.15e %.15f ok\n", static_cast<long long>(step), a, b);
    out.write(line, n);
    written += n;
  }
}

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Tolerant comparison throughput");
  int64_t megabytes = 200;
  std::string dir = std::filesystem::temp_directory_path().string();
  app.add_option("--megabytes", megabytes, "Size of each output")->capture_default_str();
  app.add_option("--dir", dir, "Where to write the two outputs")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::string a = dir + "/compare-bench-a.txt", b = dir + "/compare-bench-b.txt";
  WriteOutput(a, megabytes << 20, false);
  WriteOutput(b, megabytes << 20, true);
  double size_mb = static_cast<double>(std::filesystem::file_size(a)) / (1 << 20);

  // The floor: reading both files once (as a hash comparison would).
  auto started = Clock::now();
  {
    std::ifstream in_a(a, std::ios::binary), in_b(b, std::ios::binary);
    std::vector<char> block_a(1 << 16), block_b(1 << 16);
    while (in_a.read(block_a.data(), block_a.size()), in_b.read(block_b.data(), block_b.size()),
           in_a.gcount() > 0 || in_b.gcount() > 0) {
    }
  }
  double read_s = Seconds(started);

  started = Clock::now();
  std::ifstream in_a(a, std::ios::binary), in_b(b, std::ios::binary);
  auto compared = gleaner::server::CompareTolerant(in_a, in_b, {1e-9, 0});
  double compare_s = Seconds(started);
  std::filesystem::remove(a);
  std::filesystem::remove(b);

  std::printf(
      "{\"megabytes\": %.1f, \"agree\": %s, \"read_mb_per_s\": %.0f, \"compare_mb_per_s\": %.0f, "
      "\"compare_over_read\": %.1f}\n",
      size_mb, compared.agree ? "true" : "false", size_mb / read_s, size_mb / compare_s, compare_s / read_s);
  return compared.agree ? 0 : 1;
}
