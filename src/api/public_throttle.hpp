// Requests per client address on the public API (no credential, so the address is all
// there is to tell callers apart): a token bucket per address, refilled at a steady rate
// up to a burst. Memory stays bounded: an address idle long enough for its bucket to be
// full again is the same as a new one and is forgotten, and beyond a maximum number of
// addresses the least recently seen go first.
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/http.hpp"

namespace nemis::api {

class PublicThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  struct Settings {
    int64_t per_minute = 600;  // tokens added per minute; 0 or less: no limit
    int64_t burst = 120;       // the bucket's size: requests accepted at once
    size_t max_clients = 100000;
  };
  explicit PublicThrottle(Settings settings);

  /// Takes a token from `client`'s bucket at `now`: 0 when the request may go on,
  /// otherwise the whole seconds (at least 1) until the bucket holds a token again.
  int64_t Take(const std::string& client, Clock::time_point now);
  /// Addresses currently remembered.
  size_t clients() const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point last;
    std::list<std::string>::iterator seen;  // its place in seen_
  };
  void Forget(Clock::time_point now);

  Settings settings_;
  double per_second_;
  Clock::duration refill_time_;  // from empty to full: idle longer, a bucket is a new one
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> seen_;  // most recently seen first
};

/// The addresses of `public.trusted_proxies` ("10.0.0.1, 10.0.0.2").
std::vector<std::string> ParseTrustedProxies(std::string_view text);

/// Who sent the request: the TCP peer, unless the peer is a trusted proxy; then the
/// nearest address of X-Forwarded-For, read from the right, that is not a trusted proxy
/// (what the proxies appended, not what the client claimed).
std::string ClientAddress(const http::Request& request, const std::vector<std::string>& trusted);

}  // namespace nemis::api
