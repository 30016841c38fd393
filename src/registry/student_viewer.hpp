// Who reads students from the registry, and how much of their personal data (citizen and
// guardian ID numbers, G numbers, phones, addresses) each student handed back shows:
// whole only where the reader holds student.view_sensitive for the student's school,
// masked everywhere else (personal_mask.hpp). The registry masks before a student leaves
// it, so decrypted personal data reaches no one who may not see it. What it shows whole
// it audits first, as "student.view_sensitive" naming the students by masked number; if
// that audit cannot be written, everything is masked: nothing personal leaves unaudited.
#pragma once

#include <string>
#include <string_view>

#include "audit/audit_entry.hpp"
#include "org/scope.hpp"

namespace nemis::registry {

inline constexpr std::string_view kSensitiveReadAction = "student.view_sensitive";

struct StudentViewer {
  /// Where the reader's permission for this call applies: students outside it are "not
  /// found", and a registration or correction may not place a student outside it.
  org::Scope scope;
  /// Where the reader may see personal data whole (its student.view_sensitive scope).
  org::Scope sensitive;
  /// The reader as the audit log names it: account, roles, scope, source address, request
  /// id. The registry fills in the time, action, target, outcome and details.
  audit::AuditEntry reader;
  /// Recorded with a disclosure: the request's method (a read, or the answer to a write).
  std::string method;
  /// False only for the node's own work that shows no person anything (tests, re-sealing,
  /// checks run by the operator on the command line): see Node().
  bool audited = true;

  /// The node itself: every student in reach, whole, and nothing audited.
  static StudentViewer Node();
  /// A reader that sees nothing whole: `scope` decides what it reaches.
  static StudentViewer Masked(org::Scope scope);
};

}  // namespace nemis::registry
