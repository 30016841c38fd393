// Allowed reads are authorisation decisions too (等保 audit), but one chained audit entry
// per read would serialise the lookup path (tens of thousands a second) and grow the log
// by about a terabyte a day. They are tallied in memory instead, per account, route and
// source address, and appended as one `authz.allow` entry per tally every minute and when
// the server stops (FlushAccessTally in audit_trail.hpp): who was allowed what, from
// where, how often, between which requests. Refusals, writes and every response showing
// personal data unmasked keep entries of their own — except refusals of requests whose
// caller could not be identified (no or a bad credential): anyone can send those, so they
// are tallied too (`authz.deny`, per route, refusal code and source address), and an
// anonymous client cannot grow the log at will.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "audit/audit_entry.hpp"

namespace nemis::api {

class AccessTally {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  /// Counts one allowed request of `account` to `route` (its pattern, e.g. "GET
  /// /api/v1/students/{studentNumber}": no personal data) for `permission`. `identify`
  /// fills the entry's roles and scope (anything else it sets is overwritten); it runs for
  /// the first request of a tally only.
  void Count(std::string_view account, std::string_view route, std::string_view permission,
             std::string_view source_ip, std::string_view request_id, TimePoint at,
             const std::function<void(audit::AuditEntry&)>& identify);

  /// Counts one request to `route` refused (401, `code`) before its caller was identified,
  /// for a route of `access` (e.g. "signed_in" or a permission).
  void CountAnonymousRefusal(std::string_view route, std::string_view access, std::string_view code,
                             std::string_view source_ip, std::string_view request_id, TimePoint at);

  /// One entry per tally since the last drain (the entries handed back by Requeue
  /// first), and an empty tally.
  std::vector<audit::AuditEntry> Drain();

  /// Keeps entries a flush could not append for the next Drain.
  void Requeue(std::vector<audit::AuditEntry> entries);

 private:
  // Distinct tallies kept between two drains; past it, new source addresses of a route
  // share one tally with the address "*" (a flood from many addresses stays bounded).
  static constexpr size_t kMaxTallies = 100000;

  struct Tally {
    audit::AuditEntry entry;  // who, which route, from where
    std::string permission;   // or, for a refusal, the route's access rule
    std::string refusal;      // the refusal's code; empty for allowed requests
    int64_t count = 0;
    std::string first_request_id, last_request_id;
    TimePoint first, last;
  };
  static audit::AuditEntry EntryOf(Tally& tally);
  struct Found {
    Tally* tally;
    bool first;     // new: to be described
    bool overflow;  // the route's shared "*" tally
  };
  /// The tally under `key`, or under `overflow_key` when full; mutex_ held.
  Found Find(std::string key, std::string_view overflow_key);
  static void Add(Tally& t, std::string_view request_id, TimePoint at);

  std::mutex mutex_;
  std::unordered_map<std::string, Tally> tallies_;
  std::vector<audit::AuditEntry> requeued_;
};

}  // namespace nemis::api
