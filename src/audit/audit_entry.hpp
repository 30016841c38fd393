// What one audit entry records (GB/T 22239 level 3: time, user, event type, outcome
// and details of every important action), and the checks an entry must pass before it
// is appended.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace nemis::audit {

inline constexpr std::string_view kSuccess = "success";
inline constexpr std::string_view kFailure = "failure";
inline constexpr std::string_view kDenied = "denied";

struct AuditEntry {
  std::string time;     // UTC in FormatUtc form, "2026-11-21T23:16:16.123Z"
  std::string account;  // login; empty for an anonymous caller
  std::string roles;    // the caller's roles and grants, summarised
  std::string scope;    // the caller's scope, e.g. an org code
  std::string source_ip;
  std::string request_id;
  std::string action;   // "module.verb", e.g. "student.view_sensitive", "auth.login"
  std::string target;   // internal id or code; never personal data in clear
  std::string outcome;  // kSuccess, kFailure or kDenied
  std::string details;  // a JSON value; empty is stored as "{}"
  bool operator==(const AuditEntry&) const = default;
};

/// An entry as stored: its place in the chain and its hash (lowercase hex).
struct AuditRecord {
  int64_t seq = 0;
  AuditEntry entry;
  std::string entry_hash;
};

/// Checks `entry` for Append ("validation_failed" naming the fields): a FormatUtc time,
/// an action, a known outcome, JSON details, valid UTF-8 without NUL everywhere, and
/// no citizen ID number in the target.
Status ValidateEntry(const AuditEntry& entry);

/// True if `text` is exactly FormatUtc's form of a valid instant.
bool IsAuditTime(std::string_view text);

}  // namespace nemis::audit
