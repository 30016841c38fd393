#include "db/postgres/pg_result_set.hpp"

#include <charconv>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace nemis::db::postgres {
namespace {

// Type OIDs from pg_type.h (stable across releases; the header is server-side).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

enum class ColumnKind { kInt, kReal, kBool, kText };

ColumnKind KindOf(Oid type) {
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
      return ColumnKind::kInt;
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid:
      return ColumnKind::kReal;
    case kBoolOid:
      return ColumnKind::kBool;
    default:
      return ColumnKind::kText;
  }
}

Value ConvertValue(ColumnKind kind, const char* text, int length) {
  switch (kind) {
    case ColumnKind::kInt: {
      int64_t v = 0;
      std::from_chars(text, text + length, v);
      return v;
    }
    case ColumnKind::kReal:  // strtod reads PostgreSQL's "NaN" and "Infinity" too
      return std::strtod(text, nullptr);
    case ColumnKind::kBool:
      return int64_t{text[0] == 't' ? 1 : 0};
    case ColumnKind::kText:
      return std::string(text, static_cast<size_t>(length));
  }
  return std::monostate{};
}

}  // namespace

ResultSet CollectResult(PGresult* result) {
  ResultSet out;
  int nrows = PQntuples(result);
  int ncols = PQnfields(result);
  std::vector<ColumnKind> kinds;
  for (int c = 0; c < ncols; ++c) {
    out.columns.emplace_back(PQfname(result, c));
    kinds.push_back(KindOf(PQftype(result, c)));
  }
  out.rows.reserve(static_cast<size_t>(nrows));
  for (int r = 0; r < nrows; ++r) {
    std::vector<Value> values;
    values.reserve(static_cast<size_t>(ncols));
    for (int c = 0; c < ncols; ++c) {
      if (PQgetisnull(result, r, c)) {
        values.emplace_back(std::monostate{});
      } else {
        values.push_back(ConvertValue(kinds[static_cast<size_t>(c)], PQgetvalue(result, r, c),
                                      PQgetlength(result, r, c)));
      }
    }
    out.rows.emplace_back(std::move(values));
  }
  // PQcmdTuples counts returned rows for SELECT too; `affected` means changed rows.
  std::string_view status = PQcmdStatus(result);
  if (!status.starts_with("SELECT")) out.affected = std::atoll(PQcmdTuples(result));
  return out;
}

}  // namespace nemis::db::postgres
