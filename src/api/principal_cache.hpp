// Recently resolved API tokens. A machine client sends the same token thousands of
// times a second, and resolving it costs three queries (token, account, grants).
// An entry lives identity.token_cache_seconds, so revoking a token, disabling an
// account or changing its grants takes effect within that time. Sessions are not
// cached: each request must see their idle timeout and logout at once.
#pragma once

#include <chrono>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "identity/principal.hpp"

namespace nemis::api {

class PrincipalCache {
 public:
  using Clock = std::chrono::steady_clock;
  PrincipalCache(std::chrono::seconds ttl, size_t max_entries)
      : ttl_(ttl), max_entries_(max_entries) {}

  /// The principal cached for `token`, if it has not expired; null otherwise.
  std::shared_ptr<const identity::Principal> Find(const std::string& token,
                                                  Clock::time_point now) const;
  void Put(const std::string& token, std::shared_ptr<const identity::Principal> principal,
           Clock::time_point now);
  void Clear();

 private:
  struct Entry {
    std::shared_ptr<const identity::Principal> principal;
    Clock::time_point expires;
  };
  std::chrono::seconds ttl_;
  size_t max_entries_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace nemis::api
