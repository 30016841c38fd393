#include "db/postgres/pg_copy_inserter.hpp"

#include "db/internal/quote_identifier.hpp"
#include "db/internal/value_format.hpp"
#include "db/postgres/pg_connection.hpp"
#include "db/postgres/pg_errors.hpp"

namespace nemis::db::postgres {
namespace {

std::string CopySql(std::string_view table, std::span<const std::string> columns) {
  return "COPY " + QuoteIdentifier(table) + " " + QuotedColumnList(columns) + " FROM STDIN";
}

}  // namespace

void AppendCopyEscaped(std::string& out, std::string_view text) {
  size_t run_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char* escape = nullptr;
    switch (text[i]) {
      case '\\':
        escape = "\\\\";
        break;
      case '\t':
        escape = "\\t";
        break;
      case '\n':
        escape = "\\n";
        break;
      case '\r':
        escape = "\\r";
        break;
      default:
        continue;
    }
    out.append(text.substr(run_start, i - run_start));
    out.append(escape);
    run_start = i + 1;
  }
  out.append(text.substr(run_start));
}

Result<std::unique_ptr<BulkInserter>> PgCopyInserter::Begin(PgConnection& connection,
                                                            std::string_view table,
                                                            std::span<const std::string> columns) {
  if (columns.empty()) return Error::Internal("bulk insert needs at least one column");
  std::string sql = CopySql(table, columns);
  PgResultPtr result(PQexec(connection.handle(), sql.c_str()));
  if (PQresultStatus(result.get()) != PGRES_COPY_IN) return connection.Fail(result.get());
  connection.set_copy_active(true);
  std::unique_ptr<PgCopyInserter> inserter(new PgCopyInserter(connection, columns.size()));
  inserter->buffer_.reserve(kFlushBytes + 4096);
  return std::unique_ptr<BulkInserter>(std::move(inserter));
}

PgCopyInserter::~PgCopyInserter() {
  if (!finished_) (void)End("bulk insert abandoned before Finish");
}

Status PgCopyInserter::AddRow(std::span<const Param> values) {
  if (finished_) return Error::Internal("bulk insert: AddRow after Finish");
  if (values.size() != columns_) {
    return Error::Internal("bulk insert: " + std::to_string(values.size()) + " values for " +
                           std::to_string(columns_) + " columns");
  }
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) buffer_.push_back('\t');
    const auto& v = values[i].get();
    if (const auto* n = std::get_if<int64_t>(&v)) {
      AppendInt(buffer_, *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      AppendDouble(buffer_, *d);
    } else if (const auto* s = std::get_if<std::string_view>(&v)) {
      AppendCopyEscaped(buffer_, *s);
    } else {
      buffer_.append("\\N");
    }
  }
  buffer_.push_back('\n');
  if (buffer_.size() >= kFlushBytes) return Flush();
  return {};
}

Status PgCopyInserter::Flush() {
  if (buffer_.empty()) return {};
  PGconn* conn = connection_.handle();
  int sent = PQputCopyData(conn, buffer_.data(), static_cast<int>(buffer_.size()));
  buffer_.clear();
  if (sent != 1) return connection_.Fail(nullptr);
  return {};
}

Status PgCopyInserter::Finish() {
  if (finished_) return {};
  Status flushed = Flush();
  Status ended = End(flushed.ok() ? nullptr : "bulk insert failed while sending rows");
  return flushed.ok() ? ended : flushed;
}

// Ends the COPY (aborting it when `abort_reason` is set) and reads its outcome.
Status PgCopyInserter::End(const char* abort_reason) {
  finished_ = true;
  PGconn* conn = connection_.handle();
  Status status;
  if (PQputCopyEnd(conn, abort_reason) != 1) status = connection_.Fail(nullptr);
  while (PGresult* raw = PQgetResult(conn)) {
    PgResultPtr result(raw);
    ExecStatusType state = PQresultStatus(raw);
    if (state != PGRES_COMMAND_OK && status.ok()) status = connection_.Fail(raw);
    if (state == PGRES_COPY_IN) break;  // the end was not accepted: the connection is unusable
  }
  connection_.set_copy_active(false);
  return status;
}

}  // namespace nemis::db::postgres
