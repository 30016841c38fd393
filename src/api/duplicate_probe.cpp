#include "api/duplicate_probe.hpp"

#include <chrono>

#include "api/audit_trail.hpp"
#include "audit/audit_log.hpp"
#include "base/date.hpp"
#include "base/log.hpp"
#include "codes/id_number.hpp"
#include "registry/personal_mask.hpp"

namespace nemis::api {
namespace {

size_t Limit(const ApiContext& ctx) {
  int64_t limit = ctx.config.GetInt("registry.duplicate_hits_per_hour");
  return limit < 0 ? 0 : static_cast<size_t>(limit);
}

Error Throttled(size_t limit) {
  return {ErrorKind::kThrottled,
          "duplicate_probe_throttled",
          "过去一小时内本账号已有超过 " + std::to_string(limit) +
              " 次注册因身份证件号已在其他学校注册而被拒绝，注册和导入学籍暂停一段时间；"
              "如确需处理重复学籍，请联系本区县学籍主管部门",
          {}};
}

}  // namespace

DuplicateProbeWatch::DuplicateProbeWatch(ApiContext& ctx, const http::Request& request,
                                         const Caller& caller)
    : db_(ctx.db),
      hits_(ctx.students.duplicate_hits()),
      limit_(Limit(ctx)),
      entry_(AuditEntryFor(request, &caller, {})) {}

Status DuplicateProbeWatch::Check() const {
  if (hits_->Count(entry_.account, std::chrono::steady_clock::now()) > limit_)
    return Throttled(limit_);
  return {};
}

Status DuplicateProbeWatch::RecordHit(std::string_view id_number, Json details) {
  std::string masked = registry::MaskDocumentNumber(codes::NormalizeIdNumber(id_number));
  details["idNumber"] = masked;
  audit::AuditEntry hit = entry_;
  hit.time = FormatUtc(Clock::System().Now());
  hit.action = std::string(kDuplicateHitAction);
  hit.target = masked;
  hit.outcome = std::string(audit::kFailure);
  hit.details = details.dump();
  (void)audit::AsRefusal(hit, audit::Append(db_, hit));  // a failure is logged there
  size_t count = hits_->Record(entry_.account, std::chrono::steady_clock::now());
  if (count == limit_ + 1) {
    log::Warn("duplicate_probe", {{"account", entry_.account},
                                  {"hits", static_cast<int64_t>(count)},
                                  {"limit", static_cast<int64_t>(limit_)},
                                  {"requestId", entry_.request_id}});
    audit::AuditEntry alert = entry_;
    alert.time = FormatUtc(Clock::System().Now());
    alert.action = std::string(kDuplicateProbeAlert);
    alert.target = entry_.account;
    alert.outcome = std::string(audit::kDenied);
    alert.details = Json{{"hits", count}, {"limit", limit_}, {"windowMinutes", 60}}.dump();
    (void)audit::AsRefusal(alert, audit::Append(db_, alert));
  }
  return count > limit_ ? Status(Throttled(limit_)) : Status();
}

}  // namespace nemis::api
