#include "common/signal_names.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstring>
#include <string>

namespace gleaner {
namespace {

TEST(SignalNameTest, NamesTheCommonSignals) {
  EXPECT_EQ(SignalName(9), "SIGKILL");
  EXPECT_EQ(SignalName(15), "SIGTERM");
  EXPECT_EQ(SignalName(11), "SIGSEGV");
}

TEST(SignalNameTest, NoNameOutsideTheTable) {
  EXPECT_EQ(SignalName(0), "");
  EXPECT_EQ(SignalName(-1), "");
  EXPECT_EQ(SignalName(34), "");  // real-time
  EXPECT_EQ(SignalName(int64_t{1} << 40), "");
}

// The table spells every number as glibc does, on the machine that builds it.
TEST(SignalNameTest, AgreesWithGlibc) {
  for (int sig = -2; sig < 80; ++sig) {
    const char* abbrev = ::sigabbrev_np(sig);
    EXPECT_EQ(SignalName(sig), abbrev ? std::string("SIG") + abbrev : "") << sig;
  }
}

}  // namespace
}  // namespace gleaner
