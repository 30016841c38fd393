// Bulk export of a table in scope for older local systems and other departments (对接旧系统):
// the students in the roster format — the JY/T 1002 element names as column names (学籍号, 姓名,
// 性别, ...), codes as codes, with the school's name, type and county and 学生当前状态 — which
// `nemis import students` reads back (registering the schools a store lacks); or
// the institutions (学校标识码/机构代码, 机构名称, 上级机构代码, ...); or the students' status
// changes (学籍异动: 学籍号, 姓名, 异动类别, 异动日期, 原学校标识码, 现学校标识码, ...), each
// student's in order, for the students in scope. CSV (UTF-8 with a byte-order mark, RFC 4180
// quoting, CRLF: what spreadsheet programs of those systems open) or JSON lines (one object per
// row, the same names). Students are read in id order by the thousand, their personal data opened
// as the registry holds it: the file is as sensitive as the registry.
#pragma once

#include <cstdint>
#include <ostream>
#include <string_view>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"

namespace nemis::exchange {

enum class DumpTable { kStudents, kInstitutions, kStatusChanges };
enum class DumpFormat { kCsv, kJsonLines };

/// "students" / "institutions" / "changes", "csv" / "json"; "bad_parameter" otherwise.
Result<DumpTable> ParseDumpTable(std::string_view name);
Result<DumpFormat> ParseDumpFormat(std::string_view name);

/// Writes the rows of `table` within `scope` to `out`; returns how many.
Result<int64_t> DumpRows(db::Database& db, const crypto::FieldCipher& cipher, DumpTable table,
                         DumpFormat format, const org::Scope& scope, std::ostream& out);

}  // namespace nemis::exchange
