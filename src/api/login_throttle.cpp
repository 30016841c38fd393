#include "api/login_throttle.hpp"

namespace nemis::api {

constexpr auto kWindow = std::chrono::minutes(1);

bool LoginThrottle::Allow(const std::string& address, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  Forget(now);
  auto& times = attempts_[address];
  while (!times.empty() && now - times.front() >= kWindow) times.pop_front();
  if (static_cast<int>(times.size()) >= per_minute_) return false;
  times.push_back(now);
  return true;
}

// Drops addresses not seen for a window, so that the map does not grow without bound.
void LoginThrottle::Forget(std::chrono::steady_clock::time_point now) {
  if (now - last_sweep_ < kWindow) return;
  last_sweep_ = now;
  std::erase_if(attempts_, [&](const auto& entry) {
    return entry.second.empty() || now - entry.second.back() >= kWindow;
  });
}

}  // namespace nemis::api
