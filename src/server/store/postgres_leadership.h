// PostgresLeadership: which of the servers sharing one PostgreSQL store
// leads. Leadership is the one row of table `leader`: an epoch (the fencing
// token), the holder, and an expiry, all on the database's clock (now()),
// never on the servers' own. A server takes the row only once it has
// expired, and renews it every lease/5 on a connection of its own; every
// batch the leader commits checks its epoch inside its transaction
// (PostgresStore), so a server that lost the row commits nothing more.
//
// A leader that has not renewed for kStopActingAfter of the lease (on its
// own monotonic clock, counted from when the last successful renewal was
// sent) stops the process before the lease can expire on the database's
// clock: the next start of it is a standby.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "server/store/pg_connection.h"

namespace gleaner::server {

class PostgresLeadership {
 public:
  // Waits, as a standby, until this server holds the row: returns then with
  // the new epoch. Logs once that it stands by, and who leads.
  static Result<std::unique_ptr<PostgresLeadership>> Acquire(const PgAddress& address, const std::string& holder,
                                                             std::chrono::milliseconds lease);
  ~PostgresLeadership();  // stops renewing; the row expires by itself

  int64_t epoch() const { return epoch_; }

 private:
  PostgresLeadership(PgConnection conn, int64_t epoch, std::chrono::milliseconds lease);
  void RenewUntilStopped();

  PgConnection conn_;  // the renewer's own; used by its thread only
  const int64_t epoch_;
  const std::chrono::milliseconds lease_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread renewer_;
};

}  // namespace gleaner::server
