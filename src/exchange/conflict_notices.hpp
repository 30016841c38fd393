// One person, one number across provinces, on the national node: the open conflicts
// (exchange_conflict, change_applier.hpp) that concern a province, as that province's node is
// told of them (GET /exchange/v1/conflicts). A conflict concerns two provinces: the one whose
// record reached the national node second and was kept out ("incoming"), and the one whose
// student held the number or document already ("holder"). Each is told its own student's
// number and, of the other registration, only what the national view of a student shows
// (student_lookup.hpp: province, school, stage, grade, status, the masked name).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "exchange/student_lookup.hpp"

namespace nemis::exchange {

struct ConflictNotice {
  int64_t id = 0;              // the national node's conflict id
  std::string kind;            // number_held, document_held
  std::string side;            // incoming, holder: which of the two this province's is
  std::string student_number;  // this province's student
  NationalView other;          // the other province's registration
  std::string since;           // when the national node found the conflict (UTC)
  std::string state = "open";  // open; disputed (both sides kept, or both yielded)
  std::string verdict;         // this province's verdict as the national node holds it, or ""
  bool operator==(const ConflictNotice&) const = default;
};

/// A conflict resolved (conflict_resolution.hpp): whose registration stays.
struct ConflictOutcome {
  int64_t id = 0;
  std::string winner;  // the province's node code
  bool operator==(const ConflictOutcome&) const = default;
};

/// What the national node answers a province: its open conflicts, and whether that is all of
/// them (the answer is cut at a limit).
struct ReportedConflicts {
  std::vector<ConflictNotice> items;  // open and disputed
  bool complete = true;
  std::vector<ConflictOutcome> resolved;  // lately: for the province that yielded to act on
};

/// One notice as the answer carries it (camelCase; "other" the national view).
nlohmann::json NoticeToJson(const ConflictNotice& notice);

/// The answer's payload, {"items": [...], "complete": true}, as docs/openapi.yaml describes it.
std::string ConflictsToJson(const ReportedConflicts& reported);
/// The payload read back; "bad_answer" naming what is malformed.
Result<ReportedConflicts> ConflictsFromJson(std::string_view payload);

/// What `province` (its node code, e.g. "440000") is told: the open and disputed conflicts
/// concerning it, oldest first, at most `limit` (complete says whether that was all), and
/// those resolved since `resolved_since` (UTC).
Result<ReportedConflicts> ConflictsFor(db::Database& db, const crypto::FieldCipher& cipher,
                                       std::string_view province, int64_t limit,
                                       std::string_view resolved_since);

}  // namespace nemis::exchange
