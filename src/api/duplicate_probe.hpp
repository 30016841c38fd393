// The API's watch on duplicate hits (registry/duplicate_student.hpp): every
// registered_elsewhere answer, from a registration or an import row, is audited as
// student.duplicate_hit with the document masked, and counted for the account
// (registry/duplicate_hits.hpp). An account with more than
// registry.duplicate_hits_per_hour hits in a sliding hour is probing guessed IDs: it gets
// 429 on registrations and imports until older hits age out, and the hit that takes it
// over the limit writes alert.duplicate_probe to the audit log (and a warning to the log),
// once. Hits inside the caller's scope tell it nothing it may not see and are not counted.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/caller.hpp"
#include "audit/audit_entry.hpp"
#include "base/result.hpp"
#include "http/http.hpp"
#include "registry/duplicate_hits.hpp"

namespace nemis::api {

inline constexpr std::string_view kDuplicateHitAction = "student.duplicate_hit";
inline constexpr std::string_view kDuplicateProbeAlert = "alert.duplicate_probe";

/// One caller's hits, with what recording them needs copied out of the request and the
/// context: an import records its hits on the runner's thread after its request is gone.
class DuplicateProbeWatch {
 public:
  DuplicateProbeWatch(ApiContext& ctx, const http::Request& request, const Caller& caller);

  /// 429 ("duplicate_probe_throttled") when the caller has more hits in the last hour than
  /// the limit allows; ok otherwise.
  Status Check() const;
  /// Audits and counts one hit on `id_number` (masked before it is written; the entry's
  /// details are `details` with the masked number added), writing the alert when this hit
  /// takes the caller over the limit. Returns Check()'s answer after the hit.
  Status RecordHit(std::string_view id_number, Json details = Json::object());

 private:
  db::Database& db_;
  std::shared_ptr<registry::DuplicateHitCounter> hits_;
  size_t limit_;
  audit::AuditEntry entry_;  // the caller, its grants and scope, the source address and request id
};

}  // namespace nemis::api
