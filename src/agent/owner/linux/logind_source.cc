#include "agent/owner/linux/logind_source.h"

#include <systemd/sd-bus.h>

#include <cstring>

namespace gleaner::agent {
namespace {

constexpr const char* kService = "org.freedesktop.login1";
constexpr const char* kPath = "/org/freedesktop/login1";
constexpr const char* kManager = "org.freedesktop.login1.Manager";

Error BusError(const char* what, int r, const sd_bus_error* error = nullptr) {
  std::string detail = error && error->message ? error->message : std::strerror(-r);
  return Unavailable(std::string("logind: ") + what + ": " + detail);
}

// True when a blocking inhibitor of "idle" is held.
Result<bool> IdleInhibited(sd_bus* bus) {
  sd_bus_error error = SD_BUS_ERROR_NULL;
  sd_bus_message* reply = nullptr;
  int r = sd_bus_call_method(bus, kService, kPath, kManager, "ListInhibitors", &error, &reply, "");
  if (r < 0) {
    Error e = BusError("ListInhibitors", r, &error);
    sd_bus_error_free(&error);
    return e;
  }
  bool inhibited = false;
  if (sd_bus_message_enter_container(reply, SD_BUS_TYPE_ARRAY, "(ssssuu)") >= 0) {
    const char *what, *who, *why, *mode;
    uint32_t uid, pid;
    while (sd_bus_message_read(reply, "(ssssuu)", &what, &who, &why, &mode, &uid, &pid) > 0) {
      if (std::strstr(what, "idle") && std::strcmp(mode, "block") == 0) inhibited = true;
    }
  }
  sd_bus_message_unref(reply);
  return inhibited;
}

}  // namespace

Result<std::unique_ptr<LogindSource>> LogindSource::Open(const std::string& bus_address) {
  sd_bus* bus = nullptr;
  int r;
  if (bus_address.empty()) {
    r = sd_bus_open_system(&bus);
  } else {
    r = sd_bus_new(&bus);
    if (r >= 0) r = sd_bus_set_address(bus, bus_address.c_str());
    if (r >= 0) r = sd_bus_set_bus_client(bus, 1);
    if (r >= 0) r = sd_bus_start(bus);
  }
  if (r < 0) {
    sd_bus_unref(bus);
    return BusError("cannot connect to the bus", r);
  }
  std::unique_ptr<LogindSource> source(new LogindSource(bus));
  auto probe = source->Read(0);
  if (!probe.ok()) return probe.error();
  return source;
}

LogindSource::~LogindSource() { sd_bus_flush_close_unref(bus_); }

Result<ActivityReading> LogindSource::Read(int64_t) {
  sd_bus_error error = SD_BUS_ERROR_NULL;
  int idle = 0;
  uint64_t idle_since_us = 0;
  int r = sd_bus_get_property_trivial(bus_, kService, kPath, kManager, "IdleHint", &error, 'b', &idle);
  if (r >= 0) r = sd_bus_get_property_trivial(bus_, kService, kPath, kManager, "IdleSinceHint", &error, 't', &idle_since_us);
  if (r < 0) {
    Error e = BusError("reading IdleHint", r, &error);
    sd_bus_error_free(&error);
    return e;
  }
  auto inhibited = IdleInhibited(bus_);
  if (!inhibited.ok()) return inhibited.error();
  ActivityReading reading;
  reading.active_now = !idle || *inhibited;
  if (idle) reading.idle_since = static_cast<int64_t>(idle_since_us / 1000);
  return reading;
}

}  // namespace gleaner::agent
