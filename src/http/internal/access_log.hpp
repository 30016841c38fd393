// Access log and per-route metrics: one JSON line and one histogram observation per
// request. Personal data must not leak into either: query values are never logged
// (only the parameter names), sensitive path parameters are masked, and metric
// labels use the route pattern, never the raw path.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "base/metrics.hpp"
#include "http/http.hpp"

namespace nemis::http::internal {

/// Keeps the first 4 and the last character and stars the rest (G440***********X);
/// values of 5 characters or fewer are starred entirely.
std::string MaskValue(std::string_view value);

/// The path to log. Matched: the pattern with its parameter values, sensitive ones
/// masked. Unmatched: the raw path with every segment that could be an identifier
/// (6+ characters with a digit) masked, since nothing says which segments are safe.
std::string LoggedPath(const Route* route, const std::map<std::string, std::string>& params,
                       std::string_view path);

/// Query parameter names joined by ','; the values are never logged.
std::string QueryNames(const std::vector<std::pair<std::string, std::string>>& query);

struct RequestRecord {
  std::string_view request_id;
  std::string_view method;
  std::string_view remote_address;
  const Route* route = nullptr;  // null: unmatched
  const Request* request = nullptr;
  int status = 0;
  uint64_t bytes = 0;
  double seconds = 0;
};

void WriteAccessLog(const RequestRecord& record);

/// Metric handles, cached so that the hot path does not render label strings.
class HttpMetrics {
 public:
  HttpMetrics();
  void Observe(const Route* route, std::string_view method, int status, double seconds);

  Counter& connections_opened;
  Counter& connections_closed;
  Counter& requests_started;  // with requests_finished: in flight = started - finished
  Counter& requests_finished;

 private:
  using Key = std::tuple<const Route*, std::string_view, int>;
  std::mutex mutex_;
  std::map<Key, std::pair<Histogram*, Counter*>> cache_;
};

}  // namespace nemis::http::internal
