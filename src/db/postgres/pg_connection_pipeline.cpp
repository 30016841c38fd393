// PgConnection's held statements and the pipeline that sends them (pg_connection.hpp).
#include <algorithm>

#include "db/postgres/pg_connection.hpp"
#include "db/postgres/pg_errors.hpp"
#include "db/postgres/pg_result_set.hpp"

namespace nemis::db::postgres {

Status PgConnection::Defer(std::string_view sql, std::span<const Param> params,
                           const DeferredFailure& on_failure) {
  NEMIS_TRY(CheckIdle());
  if (held_.size() >= kMaxHeld) NEMIS_TRY(SendDeferred());
  // Prepared when sent: a connection found dead then is reconnected (RoundTrip).
  held_.push_back(Held::Statement(sql, params, on_failure));
  return {};
}

void PgConnection::DeferBegin(std::string_view begin) {
  held_.push_back(Held::Command(begin, true));
}

Status PgConnection::ExecCommand(std::string_view command) {
  if (held_.empty()) return ExecScript(command);
  NEMIS_TRY(CheckIdle());
  NEMIS_TRY(RoundTrip(Held::Command(command)));
  return {};
}

Status PgConnection::SendDeferred() {
  if (held_.empty()) return {};
  NEMIS_TRY(RoundTrip(std::nullopt));
  return {};
}

Result<ResultSet> PgConnection::RoundTrip(std::optional<Held> last) {
  std::vector<Held> batch = std::move(held_);
  held_.clear();
  if (last) batch.push_back(std::move(*last));
  Result<ResultSet> answer = SendPipeline(batch);
  if (answer.ok() || !batch.front().begins_transaction || PQstatus(conn_) == CONNECTION_OK)
    return answer;
  // The transaction's first round trip found the connection dead: nothing of it has run.
  NEMIS_TRY(EnsureConnected());
  StartTransactionTracking();
  return SendPipeline(batch);
}

Result<ResultSet> PgConnection::SendPipeline(const std::vector<Held>& batch) {
  // PQprepare is synchronous, not allowed in pipeline mode: everything is prepared first
  // (a cache hit except after a reconnect), the cache emptied, if at all, only before the
  // first, so that no name handed out is deallocated.
  std::vector<const Prepared*> statements;
  for (const Held& held : batch) {
    const Prepared* statement = nullptr;
    if (!held.sql.empty()) {
      NEMIS_ASSIGN_OR_RETURN(
          statement,
          PrepareFor(held.sql, static_cast<size_t>(held.params.size()), statements.empty()));
    }
    statements.push_back(statement);
  }
  if (PQenterPipelineMode(conn_) != 1) return Fail(PgError(nullptr, conn_));
  bool sent = true;
  for (size_t i = 0; i < batch.size() && sent; ++i) {
    const Held& held = batch[i];
    if (statements[i] == nullptr) {
      sent = PQsendQueryParams(conn_, held.command.c_str(), 0, nullptr, nullptr, nullptr, nullptr,
                               0) == 1;
    } else {
      sent = PQsendQueryPrepared(conn_, statements[i]->name.c_str(), held.params.size(),
                                 held.params.Pointers().data(), nullptr, nullptr, 0) == 1;
    }
  }
  if (!sent || PQpipelineSync(conn_) != 1) {
    Error error = Fail(PgError(nullptr, conn_));
    // A connection that still works has the commands sent so far to answer: drop them.
    if (PQstatus(conn_) == CONNECTION_OK && PQpipelineSync(conn_) == 1) (void)ReadPipeline(batch);
    (void)PQexitPipelineMode(conn_);
    return error;
  }
  Result<ResultSet> answer = ReadPipeline(batch);
  (void)PQexitPipelineMode(conn_);  // idle after the sync; a lost connection is reset
  return answer;
}

// The results come in the order sent, each command's ending with a null; after a failure
// the server skips the rest (PGRES_PIPELINE_ABORTED) until the sync.
Result<ResultSet> PgConnection::ReadPipeline(const std::vector<Held>& batch) {
  std::optional<Error> failure;
  ResultSet last;
  size_t index = 0;
  for (;;) {
    PgResultPtr result(PQgetResult(conn_));
    if (result == nullptr) {
      if (PQstatus(conn_) != CONNECTION_OK) {
        if (!failure) failure = Fail(PgError(nullptr, conn_));
        break;
      }
      ++index;
      continue;
    }
    ExecStatusType status = PQresultStatus(result.get());
    if (status == PGRES_PIPELINE_SYNC) break;
    if (status == PGRES_PIPELINE_ABORTED) continue;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      const Held& held = batch[std::min(index, batch.size() - 1)];
      Error error = FailStatement(result.get(), held.sql);
      if (!failure) failure = held.on_failure ? held.on_failure(error) : std::move(error);
      continue;
    }
    if (index + 1 == batch.size()) last = CollectResult(result.get());
  }
  if (failure) return *std::move(failure);
  return last;
}

}  // namespace nemis::db::postgres
