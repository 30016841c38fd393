#include "api/public_throttle.hpp"

#include <algorithm>
#include <cmath>

namespace nemis::api {
namespace {

// Idle addresses checked for forgetting per request: enough to keep up with new ones.
constexpr int kForgetPerTake = 2;
// Longest address kept as a key (an IPv6 address with a zone fits): a forged header
// cannot make the map hold long strings.
constexpr size_t kMaxAddressLength = 64;
// Refills are sums of fractions: a bucket this close to a whole token holds it.
constexpr double kSlack = 1e-9;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitList(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = Trim(text.substr(0, comma));
    if (!item.empty()) out.push_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

PublicThrottle::PublicThrottle(Settings settings)
    : settings_(settings),
      per_second_(static_cast<double>(settings.per_minute) / 60.0),
      refill_time_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
          settings.per_minute > 0
              ? static_cast<double>(std::max<int64_t>(settings.burst, 1)) / per_second_
              : 0.0))) {
  settings_.burst = std::max<int64_t>(settings_.burst, 1);
  settings_.max_clients = std::max<size_t>(settings_.max_clients, 1);
}

int64_t PublicThrottle::Take(const std::string& client, Clock::time_point now) {
  if (settings_.per_minute <= 0) return 0;
  std::lock_guard lock(mutex_);
  const double burst = static_cast<double>(settings_.burst);
  auto [it, inserted] = buckets_.try_emplace(client);
  Bucket& b = it->second;
  if (inserted) {
    seen_.push_front(client);
    b = {burst, now, seen_.begin()};
  } else {
    const double elapsed = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(burst, b.tokens + std::max(elapsed, 0.0) * per_second_);
    b.last = std::max(b.last, now);
    seen_.splice(seen_.begin(), seen_, b.seen);
  }
  int64_t wait = 0;
  if (b.tokens >= 1.0 - kSlack) {
    b.tokens = std::max(b.tokens - 1.0, 0.0);
  } else {
    const double seconds = (1.0 - b.tokens) / per_second_;
    wait = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(seconds - kSlack)));
  }
  Forget(now);
  return wait;
}

size_t PublicThrottle::clients() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

// The least recently seen addresses: beyond the maximum, or idle until full again.
void PublicThrottle::Forget(Clock::time_point now) {
  for (int i = 0; i < kForgetPerTake && seen_.size() > 1; ++i) {
    auto oldest = buckets_.find(seen_.back());
    if (buckets_.size() <= settings_.max_clients && now - oldest->second.last < refill_time_) break;
    buckets_.erase(oldest);
    seen_.pop_back();
  }
  while (buckets_.size() > settings_.max_clients) {
    buckets_.erase(seen_.back());
    seen_.pop_back();
  }
}

std::vector<std::string> ParseTrustedProxies(std::string_view text) {
  std::vector<std::string> out;
  for (auto item : SplitList(text)) out.emplace_back(item);
  return out;
}

std::string ClientAddress(const http::Request& request, const std::vector<std::string>& trusted) {
  auto is_trusted = [&](std::string_view a) {
    return std::find(trusted.begin(), trusted.end(), a) != trusted.end();
  };
  std::string_view client = request.remote_address;
  if (is_trusted(client)) {
    if (auto forwarded = request.Header("X-Forwarded-For")) {
      auto hops = SplitList(*forwarded);
      for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
        client = *hop;
        if (!is_trusted(*hop)) break;
      }
    }
  }
  return std::string(client.substr(0, kMaxAddressLength));
}

}  // namespace nemis::api
