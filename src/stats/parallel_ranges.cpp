#include "stats/parallel_ranges.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace nemis::stats {
namespace {

// What the readers hand over: ranges read, and the first error.
class Handover {
 public:
  explicit Handover(size_t capacity) : capacity_(capacity) {}

  // Waits for room; false once the work stops.
  bool Push(std::vector<StudentFacts> rows) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return stopped_ || ready_.size() < capacity_; });
    if (stopped_) return false;
    ready_.push_back(std::move(rows));
    filled_.notify_one();
    return true;
  }
  // The next range read; nullopt when every reader is done (or the work stopped).
  std::optional<std::vector<StudentFacts>> Pop() {
    std::unique_lock lock(mutex_);
    filled_.wait(lock, [&] { return stopped_ || !ready_.empty() || readers_left_ == 0; });
    if (stopped_ || ready_.empty()) return std::nullopt;
    auto rows = std::move(ready_.front());
    ready_.pop_front();
    room_.notify_one();
    return rows;
  }
  void Fail(Error e) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::move(e);
    stopped_ = true;
    room_.notify_all();
    filled_.notify_all();
  }
  void ReaderDone() {
    std::lock_guard lock(mutex_);
    --readers_left_;
    filled_.notify_all();
  }
  void SetReaders(int n) { readers_left_ = n; }
  std::optional<Error> error() {
    std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  size_t capacity_;
  std::mutex mutex_;
  std::condition_variable room_, filled_;
  std::deque<std::vector<StudentFacts>> ready_;
  int readers_left_ = 0;
  bool stopped_ = false;
  std::optional<Error> error_;
};

}  // namespace

Status ReadRangesInParallel(
    int64_t last, int64_t batch, int threads,
    const std::function<Result<std::vector<StudentFacts>>(int64_t after, int64_t upto)>& read,
    const std::function<Status(std::vector<StudentFacts>&)>& apply) {
  threads = std::max(1, threads);
  Handover handover(static_cast<size_t>(threads) * 2);
  handover.SetReaders(threads);
  std::atomic<int64_t> next{0};
  std::vector<std::thread> readers;
  readers.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    readers.emplace_back([&] {
      for (int64_t after = next.fetch_add(batch); after < last; after = next.fetch_add(batch)) {
        auto rows = read(after, std::min(after + batch, last));
        if (!rows.ok()) {
          handover.Fail(rows.error());
          break;
        }
        if (!handover.Push(std::move(*rows))) break;
      }
      handover.ReaderDone();
    });
  }
  while (auto rows = handover.Pop()) {
    if (Status s = apply(*rows); !s.ok()) {
      handover.Fail(s.error());
      break;
    }
  }
  for (auto& t : readers) t.join();
  if (auto e = handover.error()) return *e;
  return {};
}

}  // namespace nemis::stats
