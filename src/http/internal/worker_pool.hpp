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
  std::atomic<size_t> size_{0};
  std::atomic<bool> spinning_{false};
  int sleepers_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace nemis::http::internal
