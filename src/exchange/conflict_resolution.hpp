// One person, one number across provinces, on the national node: each province's verdict on
// a conflict about its student (the case it ran, conflict_cases.hpp: keep — the child studies
// here, the registration is right; yield — it is not) and the outcome, so that the conflict
// resolves to one registration:
// - the incoming registration (the one that reached the national node second) yielded: the
//   holder's stays; nothing needs the holder's verdict;
// - the holder yielded and the incoming kept: the incoming registration replaces the holder's
//   copy on the national node;
// - both kept, or both yielded: disputed, for the ministry's registry office to settle
//   (DecideDispute, `nemis exchange decide`), which may also settle an open conflict a
//   province leaves undecided.
// The province that yielded ends its registration when it learns the outcome
// (conflict_cases.hpp); its later states are not a new conflict (change_applier.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"

namespace nemis::exchange {

struct ConflictVerdict {
  int64_t conflict_id = 0;
  std::string verdict;  // keep, yield
  bool operator==(const ConflictVerdict&) const = default;
};

struct VerdictsReport {
  int recorded = 0;  // verdicts taken
  int resolved = 0;  // conflicts resolved by them
  int disputed = 0;  // conflicts both sides kept or both yielded
};

/// Records the verdicts of `province` (its node code) on conflicts about its students and
/// resolves what they settle, in one transaction. Refusals, for the whole call:
/// validation_failed (a verdict neither keep nor yield, field verdicts[i].verdict) and
/// not_found (a conflict that is not about this province's students). A verdict on a conflict
/// already resolved, or the same verdict again, changes nothing.
Result<VerdictsReport> RecordVerdicts(db::Database& db, const crypto::FieldCipher& cipher,
                                      std::string_view province,
                                      const std::vector<ConflictVerdict>& verdicts,
                                      std::string_view now);

/// The ministry's decision on conflict `conflict_id` (disputed, or still open): `winner`'s
/// registration stays, as if the other had yielded. Refusals: not_found, validation_failed
/// (winner not_a_party), 409 conflict_resolved. `attachment` (the request's audit entry)
/// commits with the decision.
Status DecideDispute(db::Database& db, const crypto::FieldCipher& cipher, int64_t conflict_id,
                     std::string_view winner, std::string_view now,
                     db::WriteAttachment* attachment = nullptr);

}  // namespace nemis::exchange
