#include "registry/duplicate_hits.hpp"

namespace nemis::registry {

void DuplicateHitCounter::Forget(std::deque<TimePoint>& hits, TimePoint now) const {
  while (!hits.empty() && now - hits.front() >= kWindow) hits.pop_front();
}

// Accounts whose hits all aged out are dropped, at most once per window.
void DuplicateHitCounter::Sweep(TimePoint now) {
  if (now - last_sweep_ < kWindow) return;
  last_sweep_ = now;
  for (auto it = hits_.begin(); it != hits_.end();) {
    Forget(it->second, now);
    it = it->second.empty() ? hits_.erase(it) : std::next(it);
  }
}

size_t DuplicateHitCounter::Count(const std::string& account, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto it = hits_.find(account);
  if (it == hits_.end()) return 0;
  Forget(it->second, now);
  return it->second.size();
}

size_t DuplicateHitCounter::Record(const std::string& account, TimePoint now) {
  std::lock_guard lock(mutex_);
  Sweep(now);
  auto& hits = hits_[account];
  Forget(hits, now);
  hits.push_back(now);
  return hits.size();
}

}  // namespace nemis::registry
