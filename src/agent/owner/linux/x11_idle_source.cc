#include "agent/owner/linux/x11_idle_source.h"

#include <dlfcn.h>

namespace gleaner::agent {
namespace {

// The few Xlib/Xss declarations we need, spelled here so that building needs
// no X headers either. Layout as in <X11/extensions/scrnsaver.h>.
using Display = struct _XDisplay;
using XID = unsigned long;
struct XScreenSaverInfo {
  XID window;
  int state;
  int kind;
  unsigned long til_or_since;
  unsigned long idle;  // ms since the last input
  unsigned long event_mask;
};

// Input within this long counts as the owner being at the desk right now.
constexpr int64_t kActiveWithinMs = 1000;

}  // namespace

struct X11IdleSource::Library {
  void* x11 = nullptr;
  void* xss = nullptr;
  Display* display = nullptr;
  XScreenSaverInfo* info = nullptr;
  XID (*default_root)(Display*) = nullptr;
  int (*query_info)(Display*, XID, XScreenSaverInfo*) = nullptr;
  int (*close_display)(Display*) = nullptr;
  int (*free)(void*) = nullptr;

  ~Library() {
    if (info && free) free(info);
    if (display && close_display) close_display(display);
    if (xss) ::dlclose(xss);
    if (x11) ::dlclose(x11);
  }
};

Result<std::unique_ptr<X11IdleSource>> X11IdleSource::Open(const std::string& display) {
  auto lib = std::make_unique<Library>();
  lib->x11 = ::dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL);
  lib->xss = ::dlopen("libXss.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib->x11 || !lib->xss) return Unavailable("libX11.so.6 or libXss.so.1 is not installed");
  auto open_display = reinterpret_cast<Display* (*)(const char*)>(::dlsym(lib->x11, "XOpenDisplay"));
  lib->default_root = reinterpret_cast<XID (*)(Display*)>(::dlsym(lib->x11, "XDefaultRootWindow"));
  lib->close_display = reinterpret_cast<int (*)(Display*)>(::dlsym(lib->x11, "XCloseDisplay"));
  lib->free = reinterpret_cast<int (*)(void*)>(::dlsym(lib->x11, "XFree"));
  auto query_extension = reinterpret_cast<int (*)(Display*, int*, int*)>(::dlsym(lib->xss, "XScreenSaverQueryExtension"));
  auto alloc_info = reinterpret_cast<XScreenSaverInfo* (*)()>(::dlsym(lib->xss, "XScreenSaverAllocInfo"));
  lib->query_info = reinterpret_cast<int (*)(Display*, XID, XScreenSaverInfo*)>(::dlsym(lib->xss, "XScreenSaverQueryInfo"));
  if (!open_display || !lib->default_root || !lib->close_display || !lib->free || !query_extension || !alloc_info ||
      !lib->query_info) {
    return Unavailable("libX11/libXss lack the functions needed");
  }
  lib->display = open_display(display.c_str());
  if (!lib->display) return Unavailable("cannot open X display '" + display + "'");
  int event_base = 0, error_base = 0;
  if (!query_extension(lib->display, &event_base, &error_base)) {
    return Unavailable("X display '" + display + "' has no MIT-SCREEN-SAVER extension");
  }
  lib->info = alloc_info();
  if (!lib->info) return Unavailable("XScreenSaverAllocInfo failed");
  return std::unique_ptr<X11IdleSource>(new X11IdleSource(display, std::move(lib)));
}

X11IdleSource::X11IdleSource(std::string display, std::unique_ptr<Library> lib)
    : display_(std::move(display)), lib_(std::move(lib)) {}

X11IdleSource::~X11IdleSource() = default;

Result<ActivityReading> X11IdleSource::Read(int64_t now_ms) {
  if (!lib_->query_info(lib_->display, lib_->default_root(lib_->display), lib_->info)) {
    return Unavailable("XScreenSaverQueryInfo failed on " + display_);
  }
  auto idle_ms = static_cast<int64_t>(lib_->info->idle);
  ActivityReading reading;
  reading.idle_since = now_ms - idle_ms;
  reading.active_now = idle_ms < kActiveWithinMs;
  return reading;
}

}  // namespace gleaner::agent
