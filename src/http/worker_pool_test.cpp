#include "http/internal/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <latch>
#include <set>
#include <thread>

namespace nemis::http::internal {
namespace {

using namespace std::chrono_literals;

struct FnJob final : WorkerPool::Job {
  FnJob(std::function<void()> f, std::atomic<int>* destroyed)
      : fn(std::move(f)), destroyed(destroyed) {}
  ~FnJob() override {
    if (destroyed) (*destroyed)++;
  }
  void Run() override { fn(); }
  std::function<void()> fn;
  std::atomic<int>* destroyed;
};

TEST(WorkerPool, RunsEveryJobOnItsThreads) {
  std::atomic<int> ran{0}, destroyed{0};
  std::mutex mutex;
  std::set<std::thread::id> ids;
  {
    WorkerPool pool(3);
    for (int i = 0; i < 10000; ++i) {
      pool.Post(std::make_unique<FnJob>(
          [&] {
            ran++;
            std::lock_guard lock(mutex);
            ids.insert(std::this_thread::get_id());
          },
          &destroyed));
    }
    pool.Shutdown(false);  // queued jobs still run
  }
  EXPECT_EQ(ran.load(), 10000);
  EXPECT_EQ(destroyed.load(), 10000);
  EXPECT_EQ(ids.count(std::this_thread::get_id()), 0u);
  EXPECT_LE(ids.size(), 3u);
}

// Polls the pool's state, which no event signals. Bounded only so that a broken pool
// fails the test instead of hanging it.
bool WaitUntil(const std::function<bool()>& condition) {
  for (int i = 0; i < 30000 && !condition(); ++i) std::this_thread::sleep_for(1ms);
  return condition();
}

// Waits for a latch-like event without hanging a failing test.
bool Wait(std::future<void>& event) { return event.wait_for(30s) == std::future_status::ready; }

TEST(WorkerPool, SleepingWorkersWakeForLateJobs) {
  WorkerPool pool(2);
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(WaitUntil([&] { return pool.SleepingWorkers() == 2; })) << round;
    std::promise<void> done;
    auto ran = done.get_future();
    pool.Post(std::make_unique<FnJob>([&] { done.set_value(); }, nullptr));
    EXPECT_TRUE(Wait(ran)) << round;
  }
}

TEST(WorkerPool, BusyWorkerDoesNotDelayTheNextJob) {
  WorkerPool pool(2);
  std::promise<void> started, second_ran;
  std::latch release(1);
  auto first_started = started.get_future(), second = second_ran.get_future();
  pool.Post(std::make_unique<FnJob>(
      [&] {
        started.set_value();
        release.wait();
      },
      nullptr));
  EXPECT_TRUE(Wait(first_started));
  pool.Post(std::make_unique<FnJob>([&] { second_ran.set_value(); }, nullptr));
  EXPECT_TRUE(Wait(second));  // while the first job still holds its worker
  release.count_down();
}

TEST(WorkerPool, DiscardedJobsNeverRun) {
  std::atomic<int> ran{0}, destroyed{0};
  std::promise<void> started;
  std::latch release(1);
  auto first_started = started.get_future();
  WorkerPool pool(1);
  pool.Post(std::make_unique<FnJob>(
      [&] {
        started.set_value();
        release.wait();
        ran++;
      },
      &destroyed));
  EXPECT_TRUE(Wait(first_started));
  for (int i = 0; i < 5; ++i) pool.Post(std::make_unique<FnJob>([&] { ran++; }, &destroyed));
  EXPECT_EQ(pool.QueuedJobs(), 5u);
  // The only worker is held, so only Shutdown can empty the queue: release the running
  // job once it has.
  std::thread releaser([&] {
    EXPECT_TRUE(WaitUntil([&] { return pool.QueuedJobs() == 0; }));
    release.count_down();
  });
  pool.Shutdown(true);  // waits for the running job, drops the five queued ones
  releaser.join();
  EXPECT_EQ(ran.load(), 1);
  EXPECT_EQ(destroyed.load(), 6);
}

TEST(WorkerPool, JobsDiscardedWhileAWorkerIsBusyNeverRun) {
  std::atomic<int> ran{0}, destroyed{0};
  std::promise<void> started;
  std::latch release(1);
  auto first_started = started.get_future();
  WorkerPool pool(1);
  pool.Post(std::make_unique<FnJob>(
      [&] {
        started.set_value();
        release.wait();
        ran++;
      },
      &destroyed));
  EXPECT_TRUE(Wait(first_started));
  for (int i = 0; i < 3; ++i) pool.Post(std::make_unique<FnJob>([&] { ran++; }, &destroyed));
  EXPECT_EQ(pool.DiscardQueued(), 3u);
  EXPECT_EQ(pool.QueuedJobs(), 0u);
  release.count_down();
  std::promise<void> later_ran;
  auto later = later_ran.get_future();
  pool.Post(std::make_unique<FnJob>([&] { later_ran.set_value(); }, &destroyed));
  EXPECT_TRUE(Wait(later));  // the worker is free again, and took only the new job
  EXPECT_EQ(ran.load(), 1);
  pool.Shutdown(false);  // deletes the discarded ones
  EXPECT_EQ(ran.load(), 1);
  EXPECT_EQ(destroyed.load(), 5);
}

}  // namespace
}  // namespace nemis::http::internal
