#include "api/access_tally.hpp"

#include <algorithm>
#include <iterator>

#include "api/api_json.hpp"
#include "base/date.hpp"

namespace nemis::api {

void AccessTally::Count(std::string_view account, std::string_view route, std::string_view permission,
                        std::string_view source_ip, std::string_view request_id, TimePoint at,
                        const std::function<void(audit::AuditEntry&)>& identify) {
  std::string key;
  key.reserve(account.size() + route.size() + source_ip.size() + 2);
  key.append(account).append(1, '\n').append(route).append(1, '\n').append(source_ip);
  std::lock_guard lock(mutex_);
  auto [it, first] = tallies_.try_emplace(std::move(key));
  Tally& t = it->second;
  if (first) {
    identify(t.entry);
    t.entry.account = std::string(account);
    t.entry.target = std::string(route);
    t.entry.source_ip = std::string(source_ip);
    t.permission = std::string(permission);
    t.first_request_id = std::string(request_id);
    t.first = at;
  }
  ++t.count;
  t.last_request_id.assign(request_id);
  t.last = at;
}

audit::AuditEntry AccessTally::EntryOf(Tally& t) {
  audit::AuditEntry e = std::move(t.entry);
  e.time = FormatUtc(t.last);
  e.request_id = t.first_request_id;
  e.action = "authz.allow";
  e.outcome = std::string(audit::kSuccess);
  e.details = Json{{"permission", t.permission},
                             {"count", t.count},
                             {"from", FormatUtc(t.first)},
                             {"to", FormatUtc(t.last)},
                             {"firstRequestId", t.first_request_id},
                             {"lastRequestId", t.last_request_id}}
                  .dump();
  return e;
}

std::vector<audit::AuditEntry> AccessTally::Drain() {
  std::unordered_map<std::string, Tally> tallies;
  std::vector<audit::AuditEntry> out;
  {
    std::lock_guard lock(mutex_);
    tallies.swap(tallies_);
    out.swap(requeued_);
  }
  std::vector<Tally*> ordered;
  for (auto& [key, tally] : tallies) ordered.push_back(&tally);
  // In the order the tallies began, so the log reads as it happened.
  std::sort(ordered.begin(), ordered.end(), [](const Tally* a, const Tally* b) { return a->first < b->first; });
  for (Tally* t : ordered) out.push_back(EntryOf(*t));
  return out;
}

void AccessTally::Requeue(std::vector<audit::AuditEntry> entries) {
  std::lock_guard lock(mutex_);
  requeued_.insert(requeued_.begin(), std::make_move_iterator(entries.begin()), std::make_move_iterator(entries.end()));
}

}  // namespace nemis::api
