// Bulk insert on PostgreSQL: COPY table (cols) FROM STDIN in text format, rows
// escaped into a buffer sent in ~1 MiB chunks. The server reports a bad row (e.g. a
// duplicate key) only when the COPY ends, in Finish(); the COPY then adds nothing.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "db/database.hpp"

namespace nemis::db::postgres {

class PgConnection;

class PgCopyInserter final : public BulkInserter {
 public:
  static constexpr size_t kFlushBytes = size_t{1} << 20;

  static Result<std::unique_ptr<BulkInserter>> Begin(PgConnection& connection,
                                                     std::string_view table,
                                                     std::span<const std::string> columns);
  /// Without Finish() the COPY is aborted, and with it the surrounding transaction.
  ~PgCopyInserter() override;

  Status AddRow(std::span<const Param> values) override;
  Status Finish() override;

 private:
  PgCopyInserter(PgConnection& connection, size_t columns)
      : connection_(connection), columns_(columns) {}
  Status Flush();
  Status End(const char* abort_reason);

  PgConnection& connection_;
  size_t columns_;
  std::string buffer_;
  bool finished_ = false;
};

/// Appends `text` escaped for COPY's text format (backslash, tab, newline, CR).
void AppendCopyEscaped(std::string& out, std::string_view text);

}  // namespace nemis::db::postgres
