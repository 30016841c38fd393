// CSV export of the audit log for the audit administrator: UTF-8 with a byte-order mark
// (so Excel detects the encoding), a header row, CRLF line ends, RFC 4180 quoting. Cells
// that Excel would run as a formula (starting with = + - @, tab or CR) get a leading
// apostrophe, so an attacker-chosen login or target cannot run in the administrator's
// spreadsheet.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "audit/audit_query.hpp"

namespace nemis::audit {

/// Writes every entry matching `filter` (its limit is ignored; after_seq and order are
/// honoured), a page at a time from one snapshot.
Status ExportCsv(db::Database& db, const AuditFilter& filter, std::ostream& out);

/// One CSV cell: quoted when it holds a comma, quote, CR or LF; formula-safe.
std::string CsvCell(std::string_view value);

}  // namespace nemis::audit
