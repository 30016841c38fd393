#include "http/internal/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
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

TEST(WorkerPool, SleepingWorkersWakeForLateJobs) {
  WorkerPool pool(2);
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(20ms);  // every worker is asleep now
    std::atomic<bool> done{false};
    pool.Post(std::make_unique<FnJob>([&] { done = true; }, nullptr));
    for (int i = 0; i < 500 && !done; ++i) std::this_thread::sleep_for(1ms);
    EXPECT_TRUE(done.load()) << round;
  }
}

TEST(WorkerPool, BusyWorkerDoesNotDelayTheNextJob) {
  WorkerPool pool(2);
  std::atomic<bool> release{false}, second{false};
  pool.Post(std::make_unique<FnJob>(
      [&] {
        while (!release) std::this_thread::sleep_for(1ms);
      },
      nullptr));
  std::this_thread::sleep_for(5ms);
  pool.Post(std::make_unique<FnJob>([&] { second = true; }, nullptr));
  for (int i = 0; i < 1000 && !second; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(second.load());
  release = true;
}

TEST(WorkerPool, DiscardedJobsNeverRun) {
  std::atomic<int> ran{0}, destroyed{0};
  std::atomic<bool> release{false};
  WorkerPool pool(1);
  pool.Post(std::make_unique<FnJob>(
      [&] {
        while (!release) std::this_thread::sleep_for(1ms);
        ran++;
      },
      &destroyed));
  std::this_thread::sleep_for(20ms);
  for (int i = 0; i < 5; ++i) pool.Post(std::make_unique<FnJob>([&] { ran++; }, &destroyed));
  std::thread releaser([&] {
    std::this_thread::sleep_for(50ms);
    release = true;
  });
  pool.Shutdown(true);  // waits for the running job, drops the five queued ones
  releaser.join();
  EXPECT_EQ(ran.load(), 1);
  EXPECT_EQ(destroyed.load(), 6);
}

}  // namespace
}  // namespace nemis::http::internal
