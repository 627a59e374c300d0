// Real owner sources seen by a real agent: X11 idle time on Xvfb driven by
// xdotool, and systemd-logind's idle hint and inhibitors from python3-dbusmock
// on a private D-Bus. Skipped, saying why, where the tools are missing;
// scripts/setup installs them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "harness.h"

namespace gleaner::testing {
namespace {

namespace fs = std::filesystem;

bool Installed(const char* path) { return ::access(path, X_OK) == 0; }

class OwnerSourcesTest : public ::testing::Test {
 protected:
  void SetPolicy(std::vector<std::string> flags) {
    flags.insert(flags.begin(), {"policy", "set"});
    auto r = grid_.Cli(flags);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string Why() { return grid_.Cli({"host", "desk", "--why"}).out; }
  bool WhySays(const std::string& words, std::chrono::milliseconds deadline) {
    return WaitFor([&] { return Why().find(words) != std::string::npos; }, deadline);
  }

  Grid grid_;
};

TEST_F(OwnerSourcesTest, X11SeesTheOwnerComeBack) {
  if (!Installed("/usr/bin/Xvfb") || !Installed("/usr/bin/xdotool")) {
    GTEST_SKIP() << "Xvfb or xdotool is not installed (scripts/setup installs xvfb and xdotool)";
  }
  std::string display = ":" + std::to_string(90 + ::getpid() % 100);
  Process xvfb({"/usr/bin/Xvfb", display, "-nolisten", "tcp"}, {}, grid_.dir() / "xvfb");
  ASSERT_TRUE(WaitFor([&] { return fs::exists("/tmp/.X11-unix/X" + display.substr(1)); }, 10s)) << xvfb.Stderr();
  SetPolicy({"--start-after", "2s"});
  auto& agent = grid_.StartAgent("desk", 1, {"--display", display});
  ASSERT_TRUE(WhySays("work runs", 20s)) << Why() << agent.Stderr();

  Process move({"/usr/bin/xdotool", "mousemove", "10", "10"}, {{"DISPLAY", display}}, grid_.dir() / "xdotool");
  move.Wait(10s);
  Process move_again({"/usr/bin/xdotool", "mousemove", "20", "20"}, {{"DISPLAY", display}}, grid_.dir() / "xdotool2");
  move_again.Wait(10s);
  EXPECT_TRUE(WhySays("owner active", 5s)) << Why();
  EXPECT_TRUE(WhySays("work runs", 20s)) << "the owner left again, 2 s idle: " << Why();
}

TEST_F(OwnerSourcesTest, LogindIdleHintAndInhibitor) {
  const char* python = "/usr/bin/python3";
  if (!Installed("/usr/bin/dbus-daemon") || !fs::exists("/usr/lib/python3/dist-packages/dbusmock")) {
    GTEST_SKIP() << "dbus-daemon or python3-dbusmock is not installed (scripts/setup installs them)";
  }
  Process bus({"/usr/bin/dbus-daemon", "--session", "--nofork", "--print-address=1"}, {}, grid_.dir() / "dbus");
  ASSERT_TRUE(WaitFor([&] { return bus.Stdout().find('\n') != std::string::npos; }, 10s)) << bus.Stderr();
  std::string address = bus.Stdout().substr(0, bus.Stdout().find('\n'));
  std::map<std::string, std::string> on_bus = {{"DBUS_SESSION_BUS_ADDRESS", address}};
  Process logind({python, "-m", "dbusmock", "--session", "--template", "logind", "-p",
                  R"({"IdleHint": true, "IdleSinceHint": 1000000})"},
                 on_bus, grid_.dir() / "logind");
  auto answers = [&] {
    Process ping({"/usr/bin/dbus-send", "--bus=" + address, "--print-reply", "--dest=org.freedesktop.login1",
                  "/org/freedesktop/login1", "org.freedesktop.DBus.Peer.Ping"},
                 {}, grid_.dir() / "ping");
    return ping.Wait(5s) == 0;
  };
  ASSERT_TRUE(WaitFor(answers, 20s)) << logind.Stderr();
  SetPolicy({"--start-after", "1s"});
  auto& agent = grid_.StartAgent("desk", 1, {"--logind-bus", address});
  ASSERT_TRUE(WaitFor([&] { return agent.Stderr().find("owner policy: ") != std::string::npos; }, 20s))
      << agent.Stderr();
  if (agent.Stderr().find("watching systemd-logind") == std::string::npos) {
    GTEST_SKIP() << "this agent was built without sd-bus (libsystemd-dev)";
  }
  ASSERT_TRUE(WhySays("work runs", 20s)) << Why();

  // A video call: an idle inhibitor, held as long as its fd stays open.
  std::string call =
      "import dbus, time\n"
      "bus = dbus.bus.BusConnection('" + address + "')\n"
      "m = bus.get_object('org.freedesktop.login1', '/org/freedesktop/login1')\n"
      "fd = m.Inhibit('idle', 'video call', 'in a meeting', 'block', dbus_interface='org.freedesktop.login1.Manager')\n"
      "time.sleep(60)\n";
  Process meeting({python, "-c", call}, on_bus, grid_.dir() / "meeting");
  EXPECT_TRUE(WhySays("owner active now", 10s)) << Why() << meeting.Stderr();
  meeting.Signal(SIGKILL);
  meeting.Wait(5s);
  EXPECT_TRUE(WhySays("work runs", 20s)) << "the call ended: " << Why();
}

}  // namespace
}  // namespace gleaner::testing
