#include "api/audit_trail.hpp"

#include "api/access_tally.hpp"
#include "audit/audit_entry.hpp"
#include "audit/audit_log.hpp"
#include "base/date.hpp"

namespace nemis::api {
namespace {

std::string ScopeSummary(const org::Scope& scope) {
  std::string out;
  for (const auto& s : scope.subtrees()) out += (out.empty() ? "" : ",") + s.code;
  return out;
}

audit::AuditEntry Base(const http::Request& request, const AuditEvent& event) {
  audit::AuditEntry e;
  e.time = FormatUtc(Clock::System().Now());
  e.source_ip = request.remote_address;
  e.request_id = request.request_id;
  e.action = event.action;
  e.target = event.target;
  e.outcome = std::string(event.outcome);
  e.details = event.details;
  return e;
}

}  // namespace

audit::AuditEntry AuditEntryFor(const http::Request& request, const Caller* caller,
                                const AuditEvent& event) {
  audit::AuditEntry e = Base(request, event);
  if (caller && caller->principal) {
    e.account = caller->account;
    e.roles = caller->principal->GrantSummary();
    e.scope = ScopeSummary(caller->scope);
  }
  return e;
}

Status RecordAudit(ApiContext& ctx, const http::Request& request, const Caller* caller,
                   const AuditEvent& event) {
  audit::AuditEntry entry = AuditEntryFor(request, caller, event);
  return audit::AsRefusal(entry, audit::Append(ctx.db, entry));
}

Status FlushAccessTally(ApiContext& ctx) {
  std::vector<audit::AuditEntry> entries = ctx.access_tally->Drain();
  if (entries.empty()) return {};
  Status appended = ctx.db.WithWriter([&](db::Connection& c) -> Status {
    for (const auto& e : entries) NEMIS_TRY(audit::Append(c, e));
    return {};
  });
  if (appended.ok()) return {};
  ctx.access_tally->Requeue(std::move(entries));
  audit::AuditEntry what;
  what.action = "authz.allow";
  return audit::AsRefusal(what, std::move(appended));
}

Status RecordAuditFor(ApiContext& ctx, const http::Request& request, std::string_view login,
                      const AuditEvent& event) {
  audit::AuditEntry e = Base(request, event);
  e.account = std::string(login);
  return audit::AsRefusal(e, audit::Append(ctx.db, e));
}

}  // namespace nemis::api
