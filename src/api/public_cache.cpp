#include "api/public_cache.hpp"

namespace nemis::api {
namespace {

// What an entry costs beyond its key and body: the map node, the list node, the pointers.
constexpr size_t kEntryOverhead = 128;

}  // namespace

PublicCache::PublicCache(Clock::duration ttl, size_t max_bytes)
    : ttl_(ttl), max_bytes_(max_bytes) {}

std::shared_ptr<const std::string> PublicCache::Get(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  if (now - it->second.stored >= ttl_) {
    Erase(it);
    return nullptr;
  }
  used_.splice(used_.begin(), used_, it->second.used);
  return it->second.body;
}

void PublicCache::Put(const std::string& key, std::string body, Clock::time_point now) {
  if (ttl_ <= Clock::duration::zero()) return;
  const size_t cost = 2 * key.size() + body.size() + kEntryOverhead;  // the key is kept twice
  if (cost > max_bytes_) return;
  std::lock_guard lock(mutex_);
  if (auto old = entries_.find(key); old != entries_.end()) Erase(old);
  while (bytes_ + cost > max_bytes_ && !used_.empty()) Erase(entries_.find(used_.back()));
  used_.push_front(key);
  entries_.emplace(
      key, Entry{std::make_shared<const std::string>(std::move(body)), now, cost, used_.begin()});
  bytes_ += cost;
}

size_t PublicCache::entries() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

size_t PublicCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

void PublicCache::Erase(std::unordered_map<std::string, Entry>::iterator it) {
  bytes_ -= it->second.bytes;
  used_.erase(it->second.used);
  entries_.erase(it);
}

}  // namespace nemis::api
