#include "server/store/pg_connection.h"

#include <libpq-fe.h>

#include <fstream>
#include <sstream>

namespace gleaner::server {

namespace {

// PostgreSQL's message, on one line.
std::string ErrorOf(const PGconn* conn) {
  std::string msg = PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  for (char& c : msg) {
    if (c == '\n') c = ' ';
  }
  return msg;
}

void ClearResult(pg_result* r) { PQclear(r); }
void FinishConnection(pg_conn* c) { PQfinish(c); }

}  // namespace

bool IsPostgresUrl(const std::string& text) {
  return text.rfind("postgresql://", 0) == 0 || text.rfind("postgres://", 0) == 0;
}

std::string PgAddress::Describe() const {
  // postgresql://user:secret@host/db -> postgresql://user@host/db
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  size_t at = url.find('@', scheme + 3);
  size_t slash = url.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + url.substr(at);
}

PgConnection::PgConnection(pg_conn* conn, std::string describe)
    : conn_(conn, &FinishConnection), describe_(std::move(describe)) {}

Result<PgConnection> PgConnection::Connect(const PgAddress& address) {
  std::string password;
  if (!address.password_file.empty()) {
    std::ifstream in(address.password_file);
    if (!in) return InvalidArgument("cannot read the store's password file '" + address.password_file + "'");
    std::getline(in, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
  }
  // dbname with expand_dbname=1 takes the whole URL; a password given
  // beside it wins over one in the URL or the environment.
  const char* keys[] = {"dbname", password.empty() ? nullptr : "password", nullptr};
  const char* values[] = {address.url.c_str(), password.empty() ? nullptr : password.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (conn == nullptr) return Unavailable("cannot connect to PostgreSQL: out of memory");
  PgConnection connection(conn, address.Describe());
  if (PQstatus(conn) != CONNECTION_OK) {
    return Unavailable("cannot connect to PostgreSQL at " + connection.describe_ + ": " + ErrorOf(conn));
  }
  // Warnings (e.g. "there is no transaction in progress") are not ours to print.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return connection;
}

bool PgConnection::EnsureConnected() {
  if (PQstatus(conn_.get()) == CONNECTION_OK) return true;
  PQreset(conn_.get());
  prepared_.clear();  // they died with the old session
  return PQstatus(conn_.get()) == CONNECTION_OK;
}

Result<PgResult> PgConnection::Query(const std::string& sql, const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  PgResult result(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                               nullptr, nullptr, 0),
                  &ClearResult);
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  return LastError();
}

Result<PgResult> PgConnection::QueryPrepared(const std::string& sql, const std::vector<std::string>& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size());
    PgResult made(PQprepare(conn_.get(), name.c_str(), sql.c_str(), static_cast<int>(params.size()), nullptr),
                  &ClearResult);
    if (!made || PQresultStatus(made.get()) != PGRES_COMMAND_OK) return LastError();
    it = prepared_.emplace(sql, name).first;
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  PgResult result(PQexecPrepared(conn_.get(), it->second.c_str(), static_cast<int>(values.size()), values.data(),
                                 nullptr, nullptr, 0),
                  &ClearResult);
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  return LastError();
}

Status PgConnection::RunScript(const std::string& sql) {
  PgResult result(PQexec(conn_.get(), sql.c_str()), &ClearResult);
  if (result && PQresultStatus(result.get()) == PGRES_COMMAND_OK) return OkStatus();
  return LastError();
}

Status PgConnection::Run(const std::string& sql, const std::vector<std::string>& params) {
  auto result = Query(sql, params);
  return result.ok() ? OkStatus() : Status(result.error());
}

Error PgConnection::LastError() const {
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    return Unavailable("lost the connection to PostgreSQL at " + describe_ + ": " + ErrorOf(conn_.get()));
  }
  return Internal("postgresql: " + ErrorOf(conn_.get()));
}

Status PgConnection::InTransaction(const char* begin, const std::function<Status()>& body) {
  GLEANER_RETURN_IF_ERROR(Run(begin));
  Status st = body();
  if (!st.ok()) {
    (void)Run("ROLLBACK");
    return st;
  }
  return Run("COMMIT");
}

std::string PgText(const PgResult& r, int row, int col) {
  return std::string(PQgetvalue(r.get(), row, col), PQgetlength(r.get(), row, col));
}
int64_t PgInt(const PgResult& r, int row, int col) { return std::strtoll(PQgetvalue(r.get(), row, col), nullptr, 10); }
int PgRows(const PgResult& r) { return PQntuples(r.get()); }

std::string PgArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace gleaner::server
