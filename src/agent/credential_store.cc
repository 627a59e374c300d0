#include "agent/credential_store.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/files.h"

namespace gleaner::agent {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AgentCredential, server, host_id, credential, ca_sha256)

Result<std::optional<AgentCredential>> LoadCredential(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<AgentCredential>();
  auto text = ReadFile(path);
  if (!text.ok()) return text.error();
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  try {
    if (!json.is_discarded()) return std::optional<AgentCredential>(json.get<AgentCredential>());
  } catch (const nlohmann::json::exception&) {
  }
  return InvalidArgument("'" + path + "' is damaged; delete it and enrol again with --join");
}

Status SaveCredential(const std::string& path, const AgentCredential& credential) {
  nlohmann::json json = credential;
  return WriteFileDurably(path, json.dump(2) + "\n", 0600);
}

}  // namespace gleaner::agent
