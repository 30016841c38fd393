// Merging a duplicate registration (一人一籍): when a suspected pair is one person, one of
// the two records is retired into the other through an approval case (student.merge), so
// that the person keeps one number and both histories.
//
// The school of the record that goes (退出方) asks, naming which side stays and why
// (student.update there). The school of the record that stays confirms (student.approve),
// then the lowest authority over both schools approves (the county within a county, else
// the city, the province, the nation) — the same authority that may decide a pair is not
// a duplicate. The final approval, in its own transaction and only if neither student
// changed since the case opened: the retired record takes status 99 with a 取消学籍 (18)
// change naming the kept number (masked) and the case; the kept record a 99 change naming
// the retired one; every finding about the pair is resolved "merged". Nothing is deleted:
// the retired record, its number and its history stay where they were.
//
// A record with an identity document is never retired into one without (keep_documented):
// when a J or L record's person is registered again with a resident ID, the J/L record is
// the one retired and linked to the documented one, so the ID is never lost.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "workflow/approval_case.hpp"
#include "workflow/case_store.hpp"

namespace nemis::registry::quality {

inline constexpr std::string_view kMergeCaseType = "student.merge";

/// What the asking school gives (POST /api/v1/problem-records/{id}/merge).
struct MergeRequest {
  int64_t problem_id = 0;
  int64_t expected_version = 0;  // the finding's version the asker saw (If-Match)
  std::string keep;              // "student" or "other": the side of the finding that stays
  std::string reason;            // required
  std::string document;          // optional: the evidence's document number
};

class StudentMerges {
 public:
  StudentMerges(db::Database& db, const crypto::FieldCipher& cipher, workflow::CaseStore& cases,
                const Clock& clock)
      : db_(db), cipher_(cipher), cases_(cases), clock_(clock) {}

  /// Opens the merge case of finding `problem_id` (in `scope`, either side). Errors, in
  /// this order: validation_failed (keep, reason, document); not_found; 422 not_mergeable
  /// (not a pair); 403 without student.update at the retired record's school; 409
  /// problem_closed, version_conflict, case_pending (a merge of the finding, or any case of
  /// either student, is open); 422 already_merged (either record was retired before) or
  /// keep_documented.
  Result<workflow::ApprovalCase> Open(const workflow::Actor& actor, const org::Scope& scope,
                                      const MergeRequest& request);

  /// The case end. Approved: the merge is applied if neither student changed since the
  /// case opened (409 merge_stale) and the kept one has no other open case (409
  /// case_pending). Rejected or cancelled: the finding is open again for a decision.
  Status OnEnd(db::Connection& c, const workflow::ApprovalCase& kase);

 private:
  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  workflow::CaseStore& cases_;
  const Clock& clock_;
};

/// Where a record a merge retired went: the kept record's number, masked as the merge case
/// shows it, and the case.
struct MergedInto {
  std::string student_number;
  int64_t case_id = 0;
};

/// The merge that retired student `student_id`, if one did.
Result<std::optional<MergedInto>> FindMergedInto(db::Database& db,
                                                 const crypto::FieldCipher& cipher,
                                                 int64_t student_id);

/// Whether a case type is a merge.
bool IsMergeCase(std::string_view type);

}  // namespace nemis::registry::quality
