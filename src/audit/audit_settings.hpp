// The audit settings of a node, read from the configuration (audit.* keys).
#pragma once

#include <chrono>
#include <string>

#include "base/config.hpp"

namespace nemis::audit {

/// Audit records are kept at least this long whatever the configuration says (等保 level 3:
/// six months, Cybersecurity Law art. 21).
inline constexpr int kMinRetentionDays = 184;
/// Longer retention settings count as this (a century; keeps the arithmetic in range).
inline constexpr int kMaxRetentionDays = 36500;

struct AuditSettings {
  std::string signing_key_file = "var/keys/audit_sm2.pem";
  std::chrono::minutes checkpoint_interval{60};
  int retention_days = kMinRetentionDays;  // never below kMinRetentionDays

  static AuditSettings FromConfig(const Config& config);
};

}  // namespace nemis::audit
