// The one-person-one-number conflicts as the ministry's registry office reads them on the
// national node (the portal's 跨省重复学籍裁定, GET /api/v1/exchange/conflicts): each with both
// registrations' national view (province, school, stage, grade, status, the masked name; no
// number or document), each province's verdict, and the outcome once resolved. The office
// settles the disputed ones (conflict_resolution.hpp DecideDispute).
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "exchange/student_lookup.hpp"

namespace nemis::exchange {

struct ConflictSide {
  std::string province;  // node code
  std::string verdict;   // keep, yield, or "" not yet
  NationalView view;
};

struct ConflictEntry {
  int64_t id = 0;
  std::string kind;   // number_held, document_held
  std::string state;  // open, disputed, resolved
  std::string since;  // when the national node found it (UTC)
  ConflictSide incoming, holder;
  std::string winner, resolved_at;  // once resolved
};

/// The conflicts in `state` (open, disputed or resolved; "" for all), newest first, at most
/// `limit`; validation_failed (field state) for any other state.
Result<std::vector<ConflictEntry>> ListConflicts(db::Database& db,
                                                 const crypto::FieldCipher& cipher,
                                                 std::string_view state, int64_t limit);

nlohmann::ordered_json ConflictEntryToJson(const ConflictEntry& entry);

}  // namespace nemis::exchange
