#include "db/postgres/pg_database.hpp"

#include <chrono>
#include <random>
#include <thread>

#include "db/internal/invoke_work.hpp"

namespace nemis::db::postgres {
namespace {

constexpr std::string_view kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
constexpr std::string_view kBeginWrite = "BEGIN";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";
constexpr std::string_view kPing = "SELECT 1";

// The first run and up to three more after serialization failures or deadlocks.
constexpr int kMaxAttempts = 4;

// Randomised, growing pauses so two transactions that collided do not collide again.
void BackOff(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  int ceiling_ms = 5 << attempt;
  std::this_thread::sleep_for(
      std::chrono::milliseconds(1 + static_cast<int>(random() % ceiling_ms)));
}

// Ends a transaction that failed: nothing held is sent, and what the server has begun is
// rolled back, so the pooled connection goes back idle.
void Abandon(PgConnection& connection) {
  connection.DropDeferred();
  if (PQstatus(connection.handle()) == CONNECTION_OK &&
      PQtransactionStatus(connection.handle()) != PQTRANS_IDLE) {
    (void)connection.ExecScript(kRollback);
  }
}

// Server options every session of a read-only store starts with ("-c name=value",
// percent-encoded for a URL's query).
constexpr std::string_view kReadOnlySession = "-c%20default_transaction_read_only%3Don";

// `url` with every session defaulting to read-only transactions: added to the URL's own
// "options" parameter when it has one, so both apply.
std::string ReadOnlyUrl(const std::string& url) {
  size_t query = url.find('?');
  if (query == std::string::npos) return url + "?options=" + std::string(kReadOnlySession);
  for (size_t at = query; at != std::string::npos; at = url.find('&', at + 1)) {
    if (url.compare(at + 1, 8, "options=") == 0) {
      return url.substr(0, at + 9) + std::string(kReadOnlySession) + "%20" + url.substr(at + 9);
    }
  }
  return url + "&options=" + std::string(kReadOnlySession);
}

}  // namespace

Result<std::unique_ptr<Database>> PgDatabase::Open(const std::string& url, const Options& options) {
  std::unique_ptr<PgDatabase> db(
      new PgDatabase(options.read_only ? ReadOnlyUrl(url) : url, options));
  NEMIS_TRY(db->pool_.Acquire());
  return std::unique_ptr<Database>(std::move(db));
}

Status PgDatabase::WithReader(const std::function<Status(Connection&)>& work) {
  ScopedTimer timer(metrics_.read);
  return RunTransaction(kBeginRead, work);
}

Status PgDatabase::RunWriteTransaction(const std::function<Status(Connection&)>& work) {
  ScopedTimer timer(metrics_.write);
  return RunTransaction(kBeginWrite, work);
}

Status PgDatabase::WithRawWriter(const std::function<Status(Connection&)>& work) {
  ScopedTimer timer(metrics_.write);
  NEMIS_ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
  lease->StartTransactionTracking();
  Status result = InvokeWork(work, *lease);
  if (result.ok()) result = lease->SendDeferred();
  // Raw work that failed inside its own transaction must not hand it to the next user.
  if (!result.ok() || PQtransactionStatus(lease->handle()) != PQTRANS_IDLE) Abandon(*lease);
  return result;
}

Status PgDatabase::Ping() {
  NEMIS_ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
  NEMIS_TRY(lease->Query(kPing, {}));
  return {};
}

Status PgDatabase::RunTransaction(std::string_view begin,
                                  const std::function<Status(Connection&)>& work) {
  NEMIS_ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
  for (int attempt = 1;; ++attempt) {
    Status result = RunOnce(*lease, begin, work);
    if (result.ok() || !lease->SawRetryableFailure() || attempt == kMaxAttempts) return result;
    BackOff(attempt);
  }
}

Status PgDatabase::RunOnce(PgConnection& connection, std::string_view begin,
                           const std::function<Status(Connection&)>& work) {
  // BEGIN goes with the work's first statement (and reconnects a connection found dead).
  connection.StartTransactionTracking();
  connection.DeferBegin(begin);
  Status result = InvokeWork(work, connection);
  // After any failed statement PostgreSQL would answer COMMIT with a silent ROLLBACK:
  // report the failure the work swallowed instead of pretending success (SQLite
  // does the same, so work behaves alike on both).
  if (result.ok() && connection.first_failure()) result = *connection.first_failure();
  if (result.ok() && connection.TransactionFailed())
    result = Error::Internal("the transaction was aborted");
  if (result.ok()) {
    // With the statements the work deferred: their failure fails the commit.
    ScopedTimer timer(metrics_.commit);
    result = connection.ExecCommand(kCommit);
  }
  if (!result.ok()) Abandon(connection);
  return result;
}

}  // namespace nemis::db::postgres
