// The store's Prometheus metrics, looked up once per database and kept for hot paths.
#pragma once

#include <chrono>
#include <string>

#include "base/metrics.hpp"

namespace nemis::db {

struct StoreMetrics {
  explicit StoreMetrics(const std::string& backend)
      : read(Seconds(backend, "read")),
        write(Seconds(backend, "write")),
        commit(Seconds(backend, "commit")),
        groups(MetricsRegistry::Global().GetCounter(
            "nemis_store_group_commits_total",
            "Write transactions committed by the group-commit writer", {{"backend", backend}})),
        group_jobs(MetricsRegistry::Global().GetCounter("nemis_store_group_commit_jobs_total",
                                                        "Write jobs run by the group-commit writer",
                                                        {{"backend", backend}})),
        group_queued(MetricsRegistry::Global().GetCounter(
            "nemis_store_group_commit_jobs_queued_total",
            "Write jobs queued for the group-commit writer (minus jobs run: waiting)",
            {{"backend", backend}})) {}

  Histogram& read;        // a whole WithReader call
  Histogram& write;       // a whole WithWriter call, queueing included
  Histogram& commit;      // the COMMIT statement alone
  Counter& groups;        // group-commit transactions
  Counter& group_jobs;    // jobs those transactions ran
  Counter& group_queued;  // jobs queued for them, counted once in the queue

 private:
  static Histogram& Seconds(const std::string& backend, const std::string& op) {
    return MetricsRegistry::Global().GetHistogram("nemis_store_seconds", "Time spent in the store",
                                                  {{"backend", backend}, {"op", op}});
  }
};

/// Observes the time since construction into a histogram when it goes out of scope.
class ScopedTimer {
 public:
  explicit ScopedTimer(Histogram& h) : h_(h), start_(std::chrono::steady_clock::now()) {}
  ~ScopedTimer() {
    h_.Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

 private:
  Histogram& h_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace nemis::db
