#include "audit/audit_settings.hpp"

#include <algorithm>

#include "audit/checkpoint_file.hpp"

namespace nemis::audit {

AuditSettings AuditSettings::FromConfig(const Config& config) {
  AuditSettings s;
  s.signing_key_file = config.GetString("audit.signing_key_file");
  s.checkpoint_file = config.GetString("audit.checkpoint_file");
  if (s.checkpoint_file.empty()) s.checkpoint_file = DefaultCheckpointFile(s.signing_key_file);
  int64_t seconds = config.GetInt("audit.checkpoint_interval_seconds");
  // The key it replaces (minutes) still counts where it is set and the new one is not.
  int64_t minutes = config.GetInt("audit.checkpoint_interval_minutes");
  if (minutes > 0 && config.Source("audit.checkpoint_interval_seconds") == "default")
    seconds = minutes * 60;
  s.checkpoint_interval = std::chrono::seconds(std::max<int64_t>(1, seconds));
  s.checkpoint_every_entries =
      std::max<int64_t>(0, config.GetInt("audit.checkpoint_every_entries"));
  s.retention_days = static_cast<int>(std::clamp<int64_t>(config.GetInt("audit.retention_days"),
                                                          kMinRetentionDays, kMaxRetentionDays));
  return s;
}

}  // namespace nemis::audit
