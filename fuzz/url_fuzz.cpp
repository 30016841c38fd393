// Request targets (src/http/url.hpp): the input is a raw origin-form target as a client
// sends it ("/api/v1/students?q=%E5%BC%A0&limit=20"). Checks, besides ASan/UBSan:
// - what ParseTarget accepts is clean: a path starting with '/', no NUL, valid UTF-8
//   (compared with an independent UTF-8 check), every query key and value valid UTF-8;
// - re-encoding the decoded path and query with PercentEncode parses back to the same;
// - PercentDecode(PercentEncode(x)) == x for any bytes, with and without '+' as space;
// - routing the decoded path yields the parameters its pattern names, masked for logs.
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "http/http.hpp"
#include "http/url.hpp"
#include "route_table.hpp"

namespace nemis::fuzz {
namespace {

size_t CountParams(std::string_view pattern) {
  size_t n = 0;
  for (char c : pattern) n += c == '{';
  return n;
}

void CheckRoundTrip(std::string_view text) {
  std::string back;
  FUZZ_CHECK(http::PercentDecode(http::PercentEncode(text), false, &back) && back == text,
             "PercentDecode(PercentEncode(x)) != x");
  FUZZ_CHECK(http::PercentDecode(http::PercentEncode(text), true, &back) && back == text,
             "PercentDecode(PercentEncode(x), plus_as_space) != x");
  FUZZ_CHECK(http::IsValidUtf8(text) == ReferenceUtf8(text),
             "IsValidUtf8 disagrees with table 3-7");
}

// The decoded target spelled again the way a careful client would.
std::string Reencode(const std::string& path, const http::QueryList& query) {
  std::string target;
  size_t start = 1;  // path[0] is '/'
  while (true) {
    size_t slash = path.find('/', start);
    target += '/';
    target += http::PercentEncode(std::string_view(path).substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  for (size_t i = 0; i < query.size(); ++i) {
    target += i == 0 ? '?' : '&';
    target += http::PercentEncode(query[i].first) + "=" + http::PercentEncode(query[i].second);
  }
  return target;
}

void CheckRouting(const std::string& path) {
  static constexpr std::string_view kMethods[] = {"GET", "POST", "HEAD", "PATCH", "DELETE"};
  std::string_view method = kMethods[Mix(path) % std::size(kMethods)];
  http::Router::Match m = ApiLikeRouter().Find(method, path);
  if (m.route) {
    FUZZ_CHECK(m.params.size() == CountParams(m.route->pattern), "route parameters lost");
    std::string masked = http::MaskedPath(*m.route, m.params);
    FUZZ_CHECK(!masked.empty() && masked[0] == '/', "masked path is not a path");
  } else if (m.method_not_allowed) {
    FUZZ_CHECK(!m.allow.empty(), "405 without an Allow header");
  }
}

}  // namespace
}  // namespace nemis::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nemis;
  std::string_view target = fuzz::AsText(data, size);
  fuzz::CheckRoundTrip(target);

  std::string path;
  http::QueryList query;
  if (!http::ParseTarget(target, &path, &query).ok()) return 0;
  FUZZ_CHECK(!path.empty() && path[0] == '/', "accepted path does not start with '/'");
  FUZZ_CHECK(path.find('\0') == std::string::npos, "accepted path holds NUL");
  FUZZ_CHECK(fuzz::ReferenceUtf8(path), "accepted path is not UTF-8");
  for (const auto& [key, value] : query)
    FUZZ_CHECK(fuzz::ReferenceUtf8(key) && fuzz::ReferenceUtf8(value),
               "accepted query is not UTF-8");

  std::string path2;
  http::QueryList query2;
  FUZZ_CHECK(http::ParseTarget(fuzz::Reencode(path, query), &path2, &query2).ok(),
             "re-encoded target refused");
  FUZZ_CHECK(path2 == path && query2 == query, "re-encoded target decodes differently");

  fuzz::CheckRouting(path);
  http::QueryList form;
  (void)http::ParseFormBody(target, &form);
  return 0;
}
