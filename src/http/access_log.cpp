#include "http/internal/access_log.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "base/log.hpp"

namespace nemis::http::internal {
namespace {

constexpr size_t kMaxLoggedPath = 256;
constexpr size_t kMaskKeepFront = 4;

// Methods outside this list share one label so that clients cannot create
// unbounded metric series.
constexpr std::array<std::string_view, 8> kMethods = {"GET",   "HEAD",   "POST",    "PUT",
                                                      "PATCH", "DELETE", "OPTIONS", "OTHER"};

std::string_view MethodLabel(std::string_view method) {
  for (auto m : kMethods) {
    if (m == method) return m;
  }
  return kMethods.back();
}

bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// How many bytes at the start of `s` conform to UTF-8 (Unicode table 3-7, which rules
// out overlong forms, surrogates and code points above U+10FFFF), and how many the
// character needs. A lead byte that can begin no character conforms for 0 of 1.
std::pair<size_t, size_t> Utf8Prefix(std::string_view s) {
  auto c = static_cast<unsigned char>(s[0]);
  if (c < 0x80) return {1, 1};
  size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    need = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return {0, 1};
  }
  size_t n = 1;
  while (n < need && n < s.size()) {
    auto b = static_cast<unsigned char>(s[n]);
    if (n == 1 ? (b < lo || b > hi) : !IsUtf8Continuation(s[n])) break;
    ++n;
  }
  return {n, need};
}

// A client controls the path and the query: what reaches the log must be UTF-8, or the
// line is no longer JSON. Each ill-formed sequence (its "maximal subpart") becomes one
// U+FFFD, as Unicode recommends.
std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    auto [n, need] = Utf8Prefix(text);
    if (n == need) {
      out.append(text.substr(0, n));
    } else {
      out.append("\xEF\xBF\xBD");
      n = std::max<size_t>(n, 1);
    }
    text.remove_prefix(n);
  }
  return out;
}

bool LooksLikeIdentifier(std::string_view segment) {
  if (segment.size() < 6) return false;
  for (char c : segment) {
    if (std::isdigit(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

bool IsSensitive(const Route& route, std::string_view name) {
  for (const auto& s : route.options.sensitive_params) {
    if (s == name) return true;
  }
  return false;
}

std::string MatchedPath(const Route& route, const std::map<std::string, std::string>& params) {
  std::string out;
  std::string_view pattern = route.pattern;
  size_t pos = 0;
  while (pos < pattern.size()) {
    size_t open = pattern.find('{', pos);
    size_t close = open == std::string_view::npos ? open : pattern.find('}', open);
    if (close == std::string_view::npos) {
      out.append(pattern.substr(pos));
      break;
    }
    out.append(pattern.substr(pos, open - pos));
    std::string name(pattern.substr(open + 1, close - open - 1));
    auto it = params.find(name);
    std::string value = ValidUtf8(it == params.end() ? std::string_view() : it->second);
    out += IsSensitive(route, name) ? MaskValue(value) : value;
    pos = close + 1;
  }
  return out;
}

std::string UnmatchedPath(std::string_view raw_path) {
  std::string valid = ValidUtf8(raw_path);
  std::string_view path = valid;
  std::string out;
  while (!path.empty()) {
    size_t slash = path.find('/', 1);
    std::string_view segment = path.substr(0, slash);  // includes its leading '/'
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
    std::string_view body = segment.empty() || segment[0] != '/' ? segment : segment.substr(1);
    if (segment.size() > body.size()) out += '/';
    out += LooksLikeIdentifier(body) ? MaskValue(body) : std::string(body);
  }
  return out;
}

void Truncate(std::string& text, size_t limit) {
  if (text.size() <= limit) return;
  size_t cut = limit;
  while (cut > 0 && IsUtf8Continuation(text[cut])) --cut;
  text.resize(cut);
  text += "...";
}

}  // namespace

std::string MaskValue(std::string_view value) {
  // Work in code points so that a multi-byte character is never split.
  std::vector<size_t> starts;
  for (size_t i = 0; i < value.size(); ++i) {
    if (!IsUtf8Continuation(value[i])) starts.push_back(i);
  }
  size_t n = starts.size();
  if (n <= kMaskKeepFront + 1) return std::string(n, '*');
  std::string out(value.substr(0, starts[kMaskKeepFront]));
  out.append(n - kMaskKeepFront - 1, '*');
  out.append(value.substr(starts[n - 1]));
  return out;
}

std::string LoggedPath(const Route* route, const std::map<std::string, std::string>& params,
                       std::string_view path) {
  // The fallback (the portal) matches any path, SPA routes holding student numbers
  // included: it is logged like an unmatched path.
  bool matched = route && route->pattern != Router::kFallbackPattern;
  std::string out = matched ? MatchedPath(*route, params) : UnmatchedPath(path);
  Truncate(out, kMaxLoggedPath);
  return out;
}

std::string QueryNames(const std::vector<std::pair<std::string, std::string>>& query) {
  std::string out;
  for (const auto& [name, value] : query) {
    if (!out.empty()) out += ',';
    std::string valid = ValidUtf8(name);
    out += LooksLikeIdentifier(valid) ? MaskValue(valid) : valid;
  }
  Truncate(out, kMaxLoggedPath);
  return out;
}

void WriteAccessLog(const RequestRecord& r) {
  static const std::map<std::string, std::string> kNoParams;
  static const std::vector<std::pair<std::string, std::string>> kNoQuery;
  const Request* req = r.request;
  std::string path = LoggedPath(r.route, req ? req->path_params : kNoParams, req ? req->path : "");
  std::string query = QueryNames(req ? req->query : kNoQuery);
  log::Info("http_request", {{"requestId", r.request_id},
                             {"method", MethodLabel(r.method)},
                             {"route", r.route ? std::string_view(r.route->pattern) : "unmatched"},
                             {"path", path},
                             {"queryParams", query},
                             {"status", r.status},
                             {"bytes", r.bytes},
                             {"ms", r.seconds * 1000.0},
                             {"remote", r.remote_address}});
}

HttpMetrics::HttpMetrics()
    : connections_opened(MetricsRegistry::Global().GetCounter("nemis_http_connections_opened_total",
                                                              "HTTP connections accepted")),
      connections_closed(MetricsRegistry::Global().GetCounter("nemis_http_connections_closed_total",
                                                              "HTTP connections closed")),
      requests_started(MetricsRegistry::Global().GetCounter(
          "nemis_http_requests_started_total",
          "HTTP requests whose header was read (minus finished: in flight)")),
      requests_finished(MetricsRegistry::Global().GetCounter(
          "nemis_http_requests_finished_total", "HTTP requests answered or abandoned")) {}

void HttpMetrics::Observe(const Route* route, std::string_view method, int status, double seconds) {
  std::string_view label = MethodLabel(method);
  std::pair<Histogram*, Counter*> handles;
  {
    std::lock_guard lock(mutex_);
    auto& slot = cache_[Key(route, label, status)];
    if (!slot.first) {
      std::string route_label = route ? route->pattern : "unmatched";
      auto& registry = MetricsRegistry::Global();
      slot.first =
          &registry.GetHistogram("nemis_http_request_seconds", "HTTP request latency by route",
                                 {{"route", route_label}, {"method", std::string(label)}});
      slot.second =
          &registry.GetCounter("nemis_http_responses_total", "HTTP responses by route and status",
                               {{"route", route_label},
                                {"method", std::string(label)},
                                {"status", std::to_string(status)}});
    }
    handles = slot;
  }
  handles.first->Observe(seconds);
  handles.second->Add();
}

}  // namespace nemis::http::internal

namespace nemis::http {

std::string MaskedPath(const Route& route, const std::map<std::string, std::string>& params) {
  return internal::MatchedPath(route, params);
}

}  // namespace nemis::http
