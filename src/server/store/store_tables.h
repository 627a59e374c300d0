// The tables of a store, column by column, as SQLite and PostgreSQL both lay
// them out (same names, same order, integers and text only): what the
// PostgreSQL store writes a batch through, and what a backup copies table by
// table between the two engines; and the domain's rules that a check counts
// the breaches of, in SQL that both engines run.
#pragma once

#include <cstddef>
#include <regex>
#include <string>
#include <vector>

namespace gleaner::server {

struct StoreColumn {
  const char* name;
  bool integer;  // else text
};

struct StoreTable {
  const char* name;
  std::vector<StoreColumn> columns;
  size_t key_columns;  // the first key_columns columns are the primary key
};

// Every table of the current schema version, parents first.
inline const std::vector<StoreTable>& StoreTables() {
  static const std::vector<StoreTable> tables = {
      {"jobs",
       {{"id", true}, {"spec", false}, {"owner", false}, {"created_at", true}, {"cancelled", true},
        {"finished_at", true}},
       1},
      {"hosts",
       {{"id", true}, {"facts", false}, {"slots", true}, {"credential_hash", false}, {"enrolled_at", true},
        {"quarantined", true}, {"quarantine_reason", false}, {"revoked_at", true}, {"agreements", true},
        {"disagreements", true}},
       1},
      {"tokens",
       {{"hash", false}, {"role", false}, {"name", false}, {"created_at", true}, {"expires_at", true},
        {"max_uses", true}, {"uses", true}, {"revoked_at", true}, {"created_by", false},
        {"allow_network", true}},
       1},
      {"policies", {{"scope", false}, {"json", false}}, 1},
      {"tasks",
       {{"job_id", true}, {"idx", true}, {"state", false}, {"attempts", true}, {"host_id", true}, {"outcome", false},
        {"checkpoint", false}, {"validation", false}},
       2},
      {"attempts",
       {{"id", true}, {"job_id", true}, {"idx", true}, {"host_id", true}, {"state", false}, {"started_at", true},
        {"ended_at", true}, {"reason", false}, {"cpu_ms", true}, {"wall_ms", true}},
       1},
      {"audit",
       {{"id", true}, {"at", true}, {"who", false}, {"role", false}, {"peer", false}, {"action", false},
        {"target", false}, {"outcome", false}, {"detail", false}},
       1},
  };
  return tables;
}

// A rule of StoreMaintenance::Check(): `sql` counts the rows that break it.
// JSON_INT(column, key) stands for an integer field of a JSON text column,
// which each engine spells its own way (SpellJsonInt).
struct StoreRule {
  const char* what;
  const char* sql;
};

inline const std::vector<StoreRule>& StoreRules() {
  static const std::vector<StoreRule> rules = {
      {"task rows without their job, or beyond its task count",
       "SELECT COUNT(*) FROM tasks t LEFT JOIN jobs j ON j.id = t.job_id "
       "WHERE j.id IS NULL OR t.idx < 0 OR t.idx >= JSON_INT(j.spec, count)"},
      {"done tasks whose accepted attempt is not a success of that task",
       "SELECT COUNT(*) FROM tasks t LEFT JOIN attempts a ON a.id = JSON_INT(t.outcome, attempt_id) "
       "WHERE t.state = 'done' AND (a.id IS NULL OR a.state != 'succeeded' OR a.job_id != t.job_id "
       "OR a.idx != t.idx)"},
      {"tasks with more than one attempt in flight",
       "SELECT COUNT(*) FROM (SELECT 1 FROM attempts WHERE state IN ('assigned','running') "
       "GROUP BY job_id, idx HAVING COUNT(*) > 1) AS doubled"},
      {"attempts in flight for a task that is not running",
       "SELECT COUNT(*) FROM attempts a LEFT JOIN tasks t ON t.job_id = a.job_id AND t.idx = a.idx "
       "WHERE a.state IN ('assigned','running') AND (t.state IS NULL OR t.state != 'running')"},
      {"attempts of unknown hosts",
       "SELECT COUNT(*) FROM attempts a LEFT JOIN hosts h ON h.id = a.host_id WHERE h.id IS NULL"},
  };
  return rules;
}

// `sql` with each JSON_INT(column, key) written as `format` says, with $1 the
// column and $2 the key (std::regex_replace's format; $$ is a dollar sign).
inline std::string SpellJsonInt(const char* sql, const char* format) {
  static const std::regex json_int(R"(JSON_INT\(([a-z_.]+), ([a-z_]+)\))");
  return std::regex_replace(sql, json_int, format);
}

}  // namespace gleaner::server
