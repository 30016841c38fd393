// Login attempts per source address: at most N a minute, so that guessing
// passwords across many accounts from one address is slow (each account also
// locks after repeated failures, see identity/authenticator.hpp).
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace nemis::api {

class LoginThrottle {
 public:
  explicit LoginThrottle(int per_minute) : per_minute_(per_minute) {}
  /// Records an attempt from `address` at `now`; false when it exceeds the limit.
  bool Allow(const std::string& address, std::chrono::steady_clock::time_point now);

 private:
  void Forget(std::chrono::steady_clock::time_point now);
  int per_minute_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<std::chrono::steady_clock::time_point>> attempts_;
  std::chrono::steady_clock::time_point last_sweep_{};
};

}  // namespace nemis::api
