// The text forms of the records' structured columns, one definition for every
// kind of store: a task's outcome, its validation and its checkpoint are
// stored as JSON text, so SQLite and PostgreSQL hold the same bytes and a
// backup moves between them unchanged. The *FromText/*FromJson functions
// throw nlohmann::json::exception on text they cannot read.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "server/store/records.h"

namespace gleaner::server {

nlohmann::json OutcomeToJson(const TaskOutcome& o);
TaskOutcome OutcomeFromJson(const nlohmann::json& j);
// "" or the JSON of a replicated task's results so far.
std::string ValidationToText(const Validation& v);
Validation ValidationFromText(const std::string& text);
// "" or the FileRef's JSON: a task's latest checkpoint.
std::string CheckpointToText(const std::optional<api::FileRef>& ref);
std::optional<api::FileRef> CheckpointFromText(const std::string& text);

}  // namespace gleaner::server
