// Process metrics in the Prometheus text format: counters and latency histograms
// registered once (by name and labels) and updated lock-free on hot paths.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace nemis {

class Counter {
 public:
  void Add(int64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  int64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

/// Latency histogram in seconds with fixed buckets from 100 µs to 10 s.
class Histogram {
 public:
  static constexpr std::array<double, 14> kBounds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 10.0};
  void Observe(double seconds);
  uint64_t Count() const { return count_.load(std::memory_order_relaxed); }
  void AppendText(std::string& out, const std::string& name, const std::string& labels) const;

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_micros_{0};
};

using Labels = std::vector<std::pair<std::string, std::string>>;

class MetricsRegistry {
 public:
  static MetricsRegistry& Global();

  /// Returns the metric for (name, labels), creating it on first use. The
  /// reference stays valid for the life of the registry: keep it for hot paths.
  Counter& GetCounter(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& GetHistogram(const std::string& name, const std::string& help,
                          const Labels& labels = {});

  std::string RenderText() const;

 private:
  struct Family {
    std::string help;
    bool histogram = false;
    std::map<std::string, std::unique_ptr<Counter>> counters;
    std::map<std::string, std::unique_ptr<Histogram>> histograms;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

}  // namespace nemis
