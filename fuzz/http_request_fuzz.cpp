// A whole HTTP/1.1 request as a client sends it, through what the server does with it
// before a handler runs (src/http/connection.cpp): Beast's header parser fed in pieces as
// reads arrive, then the body parser (Content-Length or chunked), the request id, target
// decoding, routing; then the header and query parsers the handlers share: If-Match,
// integer parameters, pagination cursors, the import encoding, form bodies, JSON bodies.
// clang-format off
#include <utility>  // Boost 1.74 needs it before Asio/Beast (DESIGN.md)
// clang-format on
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <limits>
#include <string>

#include "api/api_json.hpp"
#include "fuzz_check.hpp"
#include "http/http.hpp"
#include "http/internal/request_id.hpp"
#include "http/url.hpp"
#include "importer/encoding.hpp"
#include "org/institution.hpp"
#include "registry/cursor.hpp"
#include "route_table.hpp"

// Boost assertions stay on (BOOST_ENABLE_ASSERT_HANDLER, fuzz/CMakeLists.txt) except one that
// is wrong: Beast 1.74 asserts n >= 5 when a final chunk "0\r\n" comes back for its trailer,
// which can be 3 bytes when it is the first chunk (boostorg/beast#2861, fixed in Boost 1.86;
// the code after it answers need_more correctly, and release builds compile it out).
namespace boost {
void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  if (std::string_view(expr) == "n >= 5" &&
      std::string_view(function).find("parse_chunk_header") != std::string_view::npos)
    return;
  std::fprintf(stderr, "Boost assertion failed: %s in %s at %s:%ld\n", expr, function, file, line);
  std::abort();
}
void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file,
                          long line) {
  std::fprintf(stderr, "Boost assertion failed: %s (%s) in %s at %s:%ld\n", expr, msg, function,
               file, line);
  std::abort();
}
}  // namespace boost

namespace nemis::fuzz {
namespace {

namespace bhttp = boost::beast::http;
namespace asio = boost::asio;
using ErrorCode = boost::system::error_code;

// Feeds `parser` from data[*used, size) the way reads arrive: `chunk` more bytes each time
// the parser wants more. Returns false on a parse error or when the input ends first.
template <class Parser, class Done>
bool Feed(Parser& parser, const char* data, size_t size, size_t chunk, size_t* used, Done done) {
  size_t avail = std::min(size, *used + chunk);
  while (!done()) {
    ErrorCode ec;
    size_t n = parser.put(asio::buffer(data + *used, avail - *used), ec);
    *used += n;
    if (ec == bhttp::error::need_more || (!ec && n == 0 && !done())) {
      if (avail == size) return false;
      avail = std::min(size, avail + chunk);
      continue;
    }
    if (ec) return false;
  }
  return done();
}

void CheckHandlerParameters(const http::Request& req) {
  (void)api::RequiredIfMatch(req);
  if (auto limit = api::IntParam(req, "limit", 50, 1, 500); limit.ok())
    FUZZ_CHECK(*limit >= 1 && *limit <= 500, "IntParam out of range");
  if (auto after = req.Query("after")) {
    for (size_t count : {1, 2, 3}) {
      auto parts = registry::DecodeCursor(*after, count);
      if (!parts) continue;
      FUZZ_CHECK(parts->size() == count, "cursor part count");
      FUZZ_CHECK(registry::EncodeCursor(*parts) == *after, "cursor does not re-encode to itself");
      for (const auto& part : *parts) (void)registry::CursorInt(part);
    }
  }
  (void)importer::ParseTextEncoding(req.Query("encoding").value_or("auto"));
  if (auto level = req.Query("level")) (void)org::ParseOrgLevel(*level);
}

void CheckBody(const std::string& body) {
  http::QueryList form;
  (void)http::ParseFormBody(body, &form);
  http::Request req;
  req.body = body;
  auto json = api::ParseJsonObject(req);
  if (json.ok()) FUZZ_CHECK(json->is_object(), "ParseJsonObject gave a non-object");
}

}  // namespace
}  // namespace nemis::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nemis;
  namespace bhttp = boost::beast::http;
  const char* bytes = reinterpret_cast<const char*>(data);
  const size_t chunk = 1 + fuzz::Mix(fuzz::AsText(data, size)) % 64;

  bhttp::request_parser<bhttp::empty_body> hp;
  hp.header_limit(8 * 1024);
  hp.body_limit(std::numeric_limits<uint64_t>::max());
  size_t used = 0;
  if (!fuzz::Feed(hp, bytes, size, chunk, &used, [&] { return hp.is_header_done(); })) return 0;

  http::Request req;
  const auto& h = hp.get();
  req.method = std::string(h.method_string());
  req.target = std::string(h.target());
  for (const auto& field : h) req.headers.emplace_back(field.name_string(), field.value());
  req.request_id = http::internal::PickRequestId(req.Header("X-Request-Id"));
  FUZZ_CHECK(http::internal::IsAcceptableRequestId(req.request_id), "unacceptable request id");
  if (!http::ParseTarget(req.target, &req.path, &req.query).ok()) return 0;
  http::Router::Match match = fuzz::ApiLikeRouter().Find(req.method, req.path);
  if (match.route) req.path_params = std::move(match.params);
  fuzz::CheckHandlerParameters(req);

  // As RouteRequest: a declared length over the limit is answered 413 before any body is read
  // (Beast's string body reserves the declared length at once).
  constexpr uint64_t kMaxBody = 64 * 1024;
  if (auto length = hp.content_length(); hp.is_done() || (length && *length > kMaxBody)) return 0;
  bhttp::request_parser<bhttp::string_body> bp(std::move(hp));
  bp.body_limit(kMaxBody);  // counts chunked bodies as they arrive
  if (fuzz::Feed(bp, bytes, size, chunk, &used, [&] { return bp.is_done(); }))
    fuzz::CheckBody(bp.get().body());
  return 0;
}
