// What the API writes to the audit log (src/audit): sign-ins and sign-outs, every
// authorisation refusal, and every write through a route (inside the write's own
// transaction), each with the caller, its grants and scope, the source address and the
// request id. Targets are the request's path with personal data masked.
#pragma once

#include <string>
#include <string_view>

#include "api/api_context.hpp"
#include "api/caller.hpp"
#include "audit/audit_entry.hpp"
#include "db/database.hpp"
#include "http/http.hpp"

namespace nemis::api {

struct AuditEvent {
  std::string action;  // e.g. "auth.login", "authz.deny", "student.update"
  std::string target;  // masked path, org code, or account login
  std::string_view outcome;
  std::string details = "{}";  // JSON
};

/// The entry RecordAudit appends for `event`, without appending it.
audit::AuditEntry AuditEntryFor(const http::Request& request, const Caller* caller,
                                const AuditEvent& event);

/// Appends `event` for the request (and the caller, when known), in a transaction of its
/// own. A failure to audit is logged as an error; the caller decides whether the request
/// may still succeed.
Status RecordAudit(ApiContext& ctx, const http::Request& request, const Caller* caller,
                   const AuditEvent& event);

/// Appends the tallies of allowed reads (access_tally.hpp) in one transaction; if that
/// fails they are kept for the next flush. The server calls it every minute and at stop.
Status FlushAccessTally(ApiContext& ctx);

/// As RecordAudit, for an account that is not (yet) a Caller, e.g. at login.
Status RecordAuditFor(ApiContext& ctx, const http::Request& request, std::string_view login,
                      const AuditEvent& event);

}  // namespace nemis::api
