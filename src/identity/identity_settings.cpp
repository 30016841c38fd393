#include "identity/identity_settings.hpp"

namespace nemis::identity {

IdentitySettings IdentitySettings::FromConfig(const Config& config) {
  auto get = [&](const char* key) { return static_cast<int>(config.GetInt(key)); };
  IdentitySettings s;
  s.policy.min_length = get("identity.password_min_length");
  s.policy.min_classes = get("identity.password_min_classes");
  s.policy.history = get("identity.password_history");
  s.policy.max_age_days = get("identity.password_max_age_days");
  s.argon2.memory_kib = static_cast<uint32_t>(get("identity.argon2_memory_kib"));
  s.argon2.iterations = static_cast<uint32_t>(get("identity.argon2_iterations"));
  s.lockout_failures = get("identity.lockout_failures");
  s.lockout_window = std::chrono::minutes(get("identity.lockout_window_minutes"));
  s.lockout_duration = std::chrono::minutes(get("identity.lockout_minutes"));
  s.session_idle = std::chrono::minutes(get("identity.session_idle_minutes"));
  s.session_absolute = std::chrono::hours(get("identity.session_absolute_hours"));
  return s;
}

}  // namespace nemis::identity
