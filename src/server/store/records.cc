#include "server/store/records.h"

#include <iterator>

namespace gleaner::server {

namespace {
template <typename T>
void MoveAppend(std::vector<T>& to, std::vector<T>& from) {
  if (to.empty()) {
    to = std::move(from);
    return;
  }
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}
}  // namespace

void Batch::Append(Batch&& other) {
  MoveAppend(jobs, other.jobs);
  MoveAppend(tasks, other.tasks);
  MoveAppend(attempts, other.attempts);
  MoveAppend(hosts, other.hosts);
  MoveAppend(tokens, other.tokens);
  MoveAppend(policies, other.policies);
  MoveAppend(audit, other.audit);
}

}  // namespace gleaner::server
