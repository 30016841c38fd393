#include "api/audit_trail.hpp"

#include "audit/audit_entry.hpp"
#include "audit/audit_log.hpp"
#include "base/date.hpp"
#include "base/log.hpp"

namespace nemis::api {
namespace {

std::string ScopeSummary(const org::Scope& scope) {
  std::string out;
  for (const auto& s : scope.subtrees()) out += (out.empty() ? "" : ",") + s.code;
  return out;
}

Status Append(ApiContext& ctx, audit::AuditEntry entry) {
  auto appended = audit::Append(ctx.db, entry);
  if (appended.ok()) return {};
  // The code says why (e.g. "validation_failed", "store_unavailable"); the message may quote the entry.
  log::Error("audit_append_failed",
             {{"action", entry.action}, {"requestId", entry.request_id}, {"code", appended.error().code}});
  return Error::Unavailable("审计日志写入失败");
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

Status RecordAudit(ApiContext& ctx, const http::Request& request, const Caller* caller, const AuditEvent& event) {
  audit::AuditEntry e = Base(request, event);
  if (caller && caller->principal) {
    e.account = caller->account;
    e.roles = caller->principal->GrantSummary();
    e.scope = ScopeSummary(caller->scope);
  }
  return Append(ctx, std::move(e));
}

Status RecordAuditFor(ApiContext& ctx, const http::Request& request, std::string_view login, const AuditEvent& event) {
  audit::AuditEntry e = Base(request, event);
  e.account = std::string(login);
  return Append(ctx, std::move(e));
}

}  // namespace nemis::api
