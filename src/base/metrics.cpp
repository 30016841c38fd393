#include "base/metrics.hpp"

#include <cstdio>

#include "base/log.hpp"

namespace nemis {
namespace {

std::string RenderLabels(const Labels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) {
    out += out.empty() ? "" : ",";
    out += k + "=\"";
    for (char c : v) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    out += '"';
  }
  return out;
}

std::string Braced(const std::string& labels, const std::string& extra = "") {
  std::string inner = labels;
  if (!extra.empty()) inner += (inner.empty() ? "" : ",") + extra;
  return inner.empty() ? "" : "{" + inner + "}";
}

std::string FormatDouble(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", d);
  return buf;
}

}  // namespace

void Histogram::Observe(double seconds) {
  size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Histogram::AppendText(std::string& out, const std::string& name,
                           const std::string& labels) const {
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out += name + "_bucket" + Braced(labels, "le=\"" + FormatDouble(kBounds[i]) + "\"") + " " +
           std::to_string(cumulative) + "\n";
  }
  cumulative += buckets_[kBounds.size()].load(std::memory_order_relaxed);
  out += name + "_bucket" + Braced(labels, "le=\"+Inf\"") + " " + std::to_string(cumulative) + "\n";
  out += name + "_sum" + Braced(labels) + " " +
         FormatDouble(static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6) +
         "\n";
  out += name + "_count" + Braced(labels) + " " +
         std::to_string(count_.load(std::memory_order_relaxed)) + "\n";
}

MetricsRegistry& MetricsRegistry::Global() {
  static MetricsRegistry registry;
  return registry;
}

Counter& MetricsRegistry::GetCounter(const std::string& name, const std::string& help,
                                     const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& family = families_[name];
  family.help = help;
  auto& slot = family.counters[RenderLabels(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Histogram& MetricsRegistry::GetHistogram(const std::string& name, const std::string& help,
                                         const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& family = families_[name];
  family.help = help;
  family.histogram = true;
  auto& slot = family.histograms[RenderLabels(labels)];
  if (!slot) slot = std::make_unique<Histogram>();
  return *slot;
}

std::string MetricsRegistry::RenderText() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) {
    out += "# HELP " + name + " " + family.help + "\n";
    out += "# TYPE " + name + (family.histogram ? " histogram\n" : " counter\n");
    for (const auto& [labels, c] : family.counters)
      out += name + Braced(labels) + " " + std::to_string(c->Value()) + "\n";
    for (const auto& [labels, h] : family.histograms) h->AppendText(out, name, labels);
  }
  return out;
}

}  // namespace nemis
