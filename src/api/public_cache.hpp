// Answers of the public API kept in memory for a while: the same question (the route and
// its normalised parameters) within the time to live gets the same body without asking
// the store. Bounded by the bytes held; the least recently used answers go first.
#pragma once

#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace nemis::api {

class PublicCache {
 public:
  using Clock = std::chrono::steady_clock;
  /// `ttl` zero or less keeps nothing.
  PublicCache(Clock::duration ttl, size_t max_bytes);

  /// The body kept under `key`, if younger than the time to live at `now`.
  std::shared_ptr<const std::string> Get(const std::string& key, Clock::time_point now);
  /// Keeps `body` under `key` from `now` (a body larger than the bound is not kept).
  void Put(const std::string& key, std::string body, Clock::time_point now);

  size_t entries() const;
  size_t bytes() const;

 private:
  struct Entry {
    std::shared_ptr<const std::string> body;
    Clock::time_point stored;
    size_t bytes = 0;
    std::list<std::string>::iterator used;  // its place in used_
  };
  void Erase(std::unordered_map<std::string, Entry>::iterator it);

  Clock::duration ttl_;
  size_t max_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> used_;  // most recently used first
  size_t bytes_ = 0;
};

}  // namespace nemis::api
