#include "api/access_tally.hpp"

#include <algorithm>
#include <iterator>

#include "api/api_json.hpp"
#include "base/date.hpp"

namespace nemis::api {

namespace {

std::string KeyOf(std::initializer_list<std::string_view> parts) {
  std::string key;
  for (std::string_view p : parts) key.append(p).append(1, '\n');
  return key;
}

}  // namespace

AccessTally::Found AccessTally::Find(std::string key, std::string_view overflow_key) {
  bool overflow = tallies_.size() >= kMaxTallies && !tallies_.contains(key);
  if (overflow) key = overflow_key;
  auto [it, first] = tallies_.try_emplace(std::move(key));
  return {&it->second, first, overflow};
}

void AccessTally::Add(Tally& t, std::string_view request_id, TimePoint at) {
  if (t.count == 0) {
    t.first_request_id = std::string(request_id);
    t.first = at;
  }
  ++t.count;
  t.last_request_id.assign(request_id);
  t.last = at;
}

void AccessTally::Count(std::string_view account, std::string_view route,
                        std::string_view permission, std::string_view source_ip,
                        std::string_view request_id, TimePoint at,
                        const std::function<void(audit::AuditEntry&)>& identify) {
  std::lock_guard lock(mutex_);
  auto [t, first, overflow] =
      Find(KeyOf({"allow", account, route, source_ip}), KeyOf({"allow", account, route, "*"}));
  if (first) {
    identify(t->entry);
    t->entry.account = std::string(account);
    t->entry.target = std::string(route);
    t->entry.source_ip = overflow ? "*" : std::string(source_ip);
    t->entry.action = "authz.allow";
    t->entry.outcome = std::string(audit::kSuccess);
    t->permission = std::string(permission);
  }
  Add(*t, request_id, at);
}

void AccessTally::CountAnonymousRefusal(std::string_view route, std::string_view access,
                                        std::string_view code, std::string_view source_ip,
                                        std::string_view request_id, TimePoint at) {
  std::lock_guard lock(mutex_);
  auto [t, first, overflow] =
      Find(KeyOf({"deny", code, route, source_ip}), KeyOf({"deny", code, route, "*"}));
  if (first) {
    t->entry.target = std::string(route);
    t->entry.source_ip = overflow ? "*" : std::string(source_ip);
    t->entry.action = "authz.deny";
    t->entry.outcome = std::string(audit::kDenied);
    t->permission = std::string(access);
    t->refusal = std::string(code);
  }
  Add(*t, request_id, at);
}

audit::AuditEntry AccessTally::EntryOf(Tally& t) {
  audit::AuditEntry e = std::move(t.entry);
  e.time = FormatUtc(t.last);
  e.request_id = t.first_request_id;
  Json details = t.refusal.empty() ? Json{{"permission", t.permission}}
                                   : Json{{"code", t.refusal}, {"access", t.permission}};
  details["count"] = t.count;
  details["from"] = FormatUtc(t.first);
  details["to"] = FormatUtc(t.last);
  details["firstRequestId"] = t.first_request_id;
  details["lastRequestId"] = t.last_request_id;
  e.details = details.dump();
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
  std::sort(ordered.begin(), ordered.end(),
            [](const Tally* a, const Tally* b) { return a->first < b->first; });
  for (Tally* t : ordered) out.push_back(EntryOf(*t));
  return out;
}

void AccessTally::Requeue(std::vector<audit::AuditEntry> entries) {
  std::lock_guard lock(mutex_);
  requeued_.insert(requeued_.begin(), std::make_move_iterator(entries.begin()),
                   std::make_move_iterator(entries.end()));
}

}  // namespace nemis::api
