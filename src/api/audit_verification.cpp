// GET /api/v1/audit/verification: the audit log's chain checked as `nemis audit verify`
// checks it (every entry's hash and link, every signed checkpoint in the store and in the
// checkpoint file outside it), for the audit administrator's screen. A walk of the whole
// log is not free, so one runs at a time and its answer is kept for
// audit.verification_cache_seconds; callers in between get that answer with its time.
#include <mutex>

#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "audit/audit_log.hpp"
#include "audit/audit_settings.hpp"
#include "audit/checkpoint_file.hpp"
#include "audit/signing_key.hpp"
#include "audit/verify.hpp"
#include "identity/permissions.hpp"

namespace nemis::api {
namespace {

Json ReportJson(const audit::VerifyReport& r) {
  return {{"ok", r.ok()},
          {"firstSeq", r.first_seq},
          {"lastSeq", r.last_seq},
          {"entries", r.entries},
          {"checkpoints", r.checkpoints},
          {"fileCheckpoints", r.file_checkpoints},
          {"checkpointFileMissing", r.checkpoint_file_missing},
          {"badSeq", r.bad_seq ? Json(*r.bad_seq) : Json(nullptr)},
          {"problem", r.ok() ? Json(nullptr) : Json(r.problem)}};
}

class Verification {
 public:
  explicit Verification(ApiContext& ctx)
      : ctx_(ctx),
        settings_(audit::AuditSettings::FromConfig(ctx.config)),
        keep_(std::chrono::seconds(ctx.config.GetInt("audit.verification_cache_seconds"))) {}

  /// The latest answer, checking again when the kept one is older than keep_.
  Result<Json> Latest() {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::system_clock::now();
    if (last_ && now - checked_at_ < keep_) return Answer(true);
    // The node's key: `nemis serve` creates it at start for its checkpoints.
    NEMIS_ASSIGN_OR_RETURN(auto key, audit::LoadOrCreateSigningKey(settings_.signing_key_file));
    NEMIS_TRY(audit::SealAll(ctx_.db));  // what has been written, numbered and chained
    audit::CheckpointFile file(settings_.checkpoint_file);
    audit::VerifyOptions options;
    options.checkpoint_file = &file;
    NEMIS_ASSIGN_OR_RETURN(auto report, audit::Verify(ctx_.db, key.PublicKey(), options));
    last_ = ReportJson(report);
    checked_at_ = now;
    return Answer(false);
  }

 private:
  Json Answer(bool kept) const {
    Json out = *last_;
    out["checkedAt"] = FormatUtc(checked_at_);
    out["cached"] = kept;
    return out;
  }

  ApiContext& ctx_;
  audit::AuditSettings settings_;
  std::chrono::seconds keep_;
  std::mutex mutex_;
  std::optional<Json> last_;
  std::chrono::system_clock::time_point checked_at_;
};

}  // namespace

void AddAuditVerificationRoute(http::Router& router, ApiContext& ctx) {
  auto verification = std::make_shared<Verification>(ctx);
  AddApiRoute(
      router, ctx, "GET", "/api/v1/audit/verification", Access::Needs(identity::perm::kAuditView),
      [&ctx, verification](http::Request& req, const Caller& caller) {
        auto answer = verification->Latest();
        if (!answer.ok()) return ErrorJson(answer.error(), req);
        (void)RecordAudit(
            ctx, req, &caller,
            {"audit.verify", "audit_log", audit::kSuccess, Json{{"ok", (*answer)["ok"]}}.dump()});
        return JsonResponse(200, *answer);
      });
}

}  // namespace nemis::api
