// How many times each account was told, in the last hour, that an ID it tried to register
// is registered at a school outside its scope (registered_elsewhere, duplicate_student.hpp).
// Telling no school still tells that the person is registered somewhere: an account that
// collects many such hits is probing guessed IDs, and the API throttles it on this count.
// Kept in the node's memory: hits are rare, an account cannot restart the node, and a
// restart forgets at most an hour.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace nemis::registry {

class DuplicateHitCounter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  static constexpr std::chrono::hours kWindow{1};

  /// The hits of `account` in the window before `now`.
  size_t Count(const std::string& account, TimePoint now);
  /// Records a hit of `account` at `now`; returns its hits in the window, this one included.
  size_t Record(const std::string& account, TimePoint now);

 private:
  void Forget(std::deque<TimePoint>& hits, TimePoint now) const;
  void Sweep(TimePoint now);

  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<TimePoint>> hits_;
  TimePoint last_sweep_{};
};

}  // namespace nemis::registry
