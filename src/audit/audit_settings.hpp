// The audit settings of a node, read from the configuration (audit.* keys).
#pragma once

#include <chrono>
#include <cstdint>
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
  // The copy of every signed checkpoint (checkpoint_file.hpp); beside the key unless set.
  std::string checkpoint_file = "var/keys/audit_checkpoints.jsonl";
  std::chrono::seconds checkpoint_interval{60};  // at least 1 s
  int64_t checkpoint_every_entries = 1000;       // 0: the interval alone
  int retention_days = kMinRetentionDays;        // never below kMinRetentionDays

  static AuditSettings FromConfig(const Config& config);
};

}  // namespace nemis::audit
