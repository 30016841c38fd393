#include "http/internal/worker_pool.hpp"

#include <chrono>
#include <utility>

namespace nemis::http::internal {
namespace {
// Long enough to cover the gap between two requests on a loaded server, short
// enough that an idle server does not burn a core.
constexpr auto kSpin = std::chrono::microseconds(50);
}  // namespace

WorkerPool::WorkerPool(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() { Shutdown(true); }

void WorkerPool::Post(std::unique_ptr<Job> job) {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    Job* j = job.release();
    if (tail_) {
      tail_->next_ = j;
    } else {
      head_ = j;
    }
    tail_ = j;
    size_.fetch_add(1, std::memory_order_relaxed);
    wake = sleepers_ > 0 && !spinning_.load();
  }
  if (wake) cv_.notify_one();
}

WorkerPool::Job* WorkerPool::TryPop() {
  if (size_.load(std::memory_order_relaxed) == 0) return nullptr;
  std::lock_guard lock(mutex_);
  Job* j = head_;
  if (!j) return nullptr;
  head_ = j->next_;
  if (!head_) tail_ = nullptr;
  size_.fetch_sub(1, std::memory_order_relaxed);
  return j;
}

WorkerPool::Job* WorkerPool::Spin() {
  if (spinning_.exchange(true)) return nullptr;  // another worker is already spinning
  Job* job = nullptr;
  auto until = std::chrono::steady_clock::now() + kSpin;
  while (!job && std::chrono::steady_clock::now() < until) {
    std::this_thread::yield();
    job = TryPop();
  }
  spinning_.store(false);
  // Jobs posted while we spun woke nobody: make sure someone takes them.
  WakeIfPending();
  return job;
}

void WorkerPool::WakeIfPending() {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    wake = head_ && sleepers_ > 0;
  }
  if (wake) cv_.notify_one();
}

WorkerPool::Job* WorkerPool::WaitPop() {
  std::unique_lock lock(mutex_);
  ++sleepers_;
  cv_.wait(lock, [&] { return head_ || stopping_; });
  --sleepers_;
  Job* j = head_;
  if (!j) return nullptr;  // stopping and nothing left
  head_ = j->next_;
  if (!head_) tail_ = nullptr;
  size_.fetch_sub(1, std::memory_order_relaxed);
  return j;
}

void WorkerPool::Loop() {
  while (true) {
    Job* job = TryPop();
    if (!job) job = Spin();
    if (!job) job = WaitPop();
    if (!job) return;
    std::unique_ptr<Job> owned(job);
    owned->Run();
  }
}

size_t WorkerPool::DiscardQueued() {
  std::lock_guard lock(mutex_);
  size_t n = size_.exchange(0);
  if (head_) {
    tail_->next_ = discarded_;
    discarded_ = head_;
    head_ = tail_ = nullptr;
  }
  return n;
}

void WorkerPool::Shutdown(bool discard_queued) {
  if (discard_queued) DiscardQueued();
  Job* discarded = nullptr;
  {
    std::lock_guard lock(mutex_);
    discarded = std::exchange(discarded_, nullptr);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  while (discarded) {
    std::unique_ptr<Job> j(discarded);
    discarded = discarded->next_;
  }
}

}  // namespace nemis::http::internal
