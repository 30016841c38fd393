#include "audit/audit_settings.hpp"

#include <algorithm>

namespace nemis::audit {

AuditSettings AuditSettings::FromConfig(const Config& config) {
  AuditSettings s;
  s.signing_key_file = config.GetString("audit.signing_key_file");
  s.checkpoint_interval =
      std::chrono::minutes(std::max<int64_t>(1, config.GetInt("audit.checkpoint_interval_minutes")));
  s.retention_days = static_cast<int>(
      std::clamp<int64_t>(config.GetInt("audit.retention_days"), kMinRetentionDays, kMaxRetentionDays));
  return s;
}

}  // namespace nemis::audit
