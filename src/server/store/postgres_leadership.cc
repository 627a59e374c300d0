#include "server/store/postgres_leadership.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace gleaner::server {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Stop acting after this share of the lease without a renewal: the margin
// left covers the database's commit of a takeover racing our last renewal.
constexpr double kStopActingAfter = 0.6;

// Stops acting at once: no destructor, no drain of a queue whose commits
// would be refused anyway.
[[noreturn]] void StopNow() {
  spdlog::default_logger()->flush();
  std::_Exit(EXIT_FAILURE);
}

std::string Millis(milliseconds d) { return std::to_string(d.count()); }

// Takes the row when it is free or expired; the new epoch, or 0 when
// another server holds it.
Result<int64_t> TryTake(PgConnection& conn, const std::string& holder, milliseconds lease) {
  auto r = conn.Query(
      "INSERT INTO leader(id, epoch, holder, expires_at) VALUES(1, 1, $1, now() + $2 * interval '1 millisecond') "
      "ON CONFLICT (id) DO UPDATE SET epoch = leader.epoch + 1, holder = EXCLUDED.holder, "
      "expires_at = EXCLUDED.expires_at WHERE leader.expires_at < now() RETURNING epoch",
      {holder, Millis(lease)});
  if (!r.ok()) return r.error();
  return PgRows(*r) == 1 ? PgInt(*r, 0, 0) : 0;
}

}  // namespace

Result<std::unique_ptr<PostgresLeadership>> PostgresLeadership::Acquire(const PgAddress& address,
                                                                        const std::string& holder,
                                                                        milliseconds lease) {
  auto conn = PgConnection::Connect(address);
  if (!conn.ok()) return conn.error();
  bool said = false;
  for (;;) {
    if (!conn->EnsureConnected()) {
      spdlog::warn("standby: PostgreSQL at {} is unreachable; retrying", address.Describe());
    } else {
      auto epoch = TryTake(*conn, holder, lease);
      if (!epoch.ok()) return epoch.error();
      if (*epoch > 0) {
        spdlog::info("leader: took the lead of {} with epoch {}", address.Describe(), *epoch);
        return std::unique_ptr<PostgresLeadership>(new PostgresLeadership(std::move(*conn), *epoch, lease));
      }
      if (!said) {
        auto who = conn->Query("SELECT holder, epoch FROM leader WHERE id = 1");
        spdlog::info("standby: {} leads {} (epoch {}); taking over when its lease expires",
                     who.ok() && PgRows(*who) == 1 ? PgText(*who, 0, 0) : "another server", address.Describe(),
                     who.ok() && PgRows(*who) == 1 ? PgText(*who, 0, 1) : "?");
        said = true;
      }
    }
    // Polled well within the lease, so a takeover follows an expiry closely.
    std::this_thread::sleep_for(std::min(milliseconds(500), lease / 5));
  }
}

PostgresLeadership::PostgresLeadership(PgConnection conn, int64_t epoch, milliseconds lease)
    : conn_(std::move(conn)), epoch_(epoch), lease_(lease) {
  renewer_ = std::thread([this] { RenewUntilStopped(); });
}

PostgresLeadership::~PostgresLeadership() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  renewer_.join();
}

void PostgresLeadership::RenewUntilStopped() {
  const auto stop_acting = std::chrono::duration_cast<milliseconds>(lease_ * kStopActingAfter);
  auto renewed = Clock::now();  // when the last successful renewal was sent
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, lease_ / 5, [this] { return stopping_; })) {
    auto sent = Clock::now();
    lock.unlock();
    bool ok = false;
    if (conn_.EnsureConnected()) {
      auto r = conn_.Query(
          "UPDATE leader SET expires_at = now() + $2 * interval '1 millisecond' WHERE id = 1 AND epoch = $1 "
          "RETURNING epoch",
          {std::to_string(epoch_), Millis(lease_)});
      if (r.ok() && PgRows(*r) == 0) {
        spdlog::critical("leader: epoch {} has passed to another server; stopping", epoch_);
        StopNow();
      }
      ok = r.ok();
      if (!ok) spdlog::warn("leader: cannot renew the lease: {}", r.error().message);
    }
    if (ok) renewed = sent;
    if (Clock::now() - renewed > stop_acting) {
      spdlog::critical("leader: lease of epoch {} not renewed for {} ms; stopping before it can expire", epoch_,
                       std::chrono::duration_cast<milliseconds>(Clock::now() - renewed).count());
      StopNow();
    }
    lock.lock();
  }
}

}  // namespace gleaner::server
