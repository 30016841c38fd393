// The bounded pool that runs handlers off the I/O threads. A plain mutex+condvar
// queue wakes a sleeping worker (a futex call and a context switch) for almost
// every request under load; here one idle worker at a time spins briefly before
// sleeping, and Post wakes a sleeper only when nobody is spinning, so a busy
// server hands requests over without waking threads.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace nemis::http::internal {

class WorkerPool {
 public:
  class Job {
   public:
    virtual ~Job() = default;
    /// Runs on a worker thread; the pool deletes the job afterwards.
    virtual void Run() = 0;

   private:
    friend class WorkerPool;
    Job* next_ = nullptr;
  };

  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Post(std::unique_ptr<Job> job);
  /// Stops the workers and joins them. Running jobs finish; queued jobs run first
  /// unless `discard_queued`, in which case they are deleted without running.
  void Shutdown(bool discard_queued);
  /// Takes every queued job off the queue so that none starts; returns how many. They
  /// are deleted by Shutdown, on its thread (a job may own an I/O thread's handler).
  size_t DiscardQueued();

  /// Jobs posted and not yet taken by a worker. For tests, which order events by it.
  size_t QueuedJobs() const { return size_.load(); }
  /// Workers asleep on the condition variable (not spinning, not running a job). For tests.
  int SleepingWorkers() {
    std::lock_guard lock(mutex_);
    return sleepers_;
  }

 private:
  void Loop();
  Job* TryPop();
  Job* Spin();
  Job* WaitPop();
  void WakeIfPending();

  std::mutex mutex_;
  std::condition_variable cv_;
  Job* head_ = nullptr;
  Job* tail_ = nullptr;
  Job* discarded_ = nullptr;  // DiscardQueued's, for Shutdown to delete
  std::atomic<size_t> size_{0};
  std::atomic<bool> spinning_{false};
  int sleepers_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace nemis::http::internal
