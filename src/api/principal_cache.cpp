#include "api/principal_cache.hpp"

#include <mutex>

namespace nemis::api {

std::shared_ptr<const identity::Principal> PrincipalCache::Find(const std::string& token,
                                                                Clock::time_point now) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(token);
  if (it == entries_.end() || it->second.expires <= now) return nullptr;
  return it->second.principal;
}

void PrincipalCache::Put(const std::string& token,
                         std::shared_ptr<const identity::Principal> principal,
                         Clock::time_point now) {
  if (ttl_.count() <= 0) return;
  std::unique_lock lock(mutex_);
  // Full: drop what has expired, and everything if that is not enough (a flood of
  // distinct tokens must not grow memory; the cache refills from the store).
  if (entries_.size() >= max_entries_)
    std::erase_if(entries_, [&](const auto& e) { return e.second.expires <= now; });
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_[token] = {std::move(principal), now + ttl_};
}

void PrincipalCache::Clear() {
  std::unique_lock lock(mutex_);
  entries_.clear();
}

}  // namespace nemis::api
