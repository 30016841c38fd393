// HTTP types shared by the server, the router and the API handlers. Kept free of
// Boost.Beast/Asio so that handlers compile fast; only src/http/*.cpp includes Beast.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nemis::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw target, e.g. "/api/v1/students?q=x"
  std::string path;    // percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;       // for ordinary routes
  std::string body_file;  // for upload routes: the spooled body (deleted after the handler)
  std::map<std::string, std::string> path_params;  // "{number}" -> value
  std::string request_id;
  std::string remote_address;
  std::string route;  // the matched route pattern, e.g. "/api/v1/students/{number}"
  // On a mutual-TLS port (ServerOptions::tls): the certificate the client presented, PEM,
  // verified by the handshake against the port's CA. Empty on a plain port.
  std::string client_certificate;

  /// Case-insensitive header lookup.
  std::optional<std::string_view> Header(std::string_view name) const;
  /// First query parameter with this name.
  std::optional<std::string_view> Query(std::string_view name) const;
  const std::string& PathParam(const std::string& name) const { return path_params.at(name); }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  // "= {}" lets callers write Response{.body = ...} without -Wmissing-field-initializers.
  std::vector<std::pair<std::string, std::string>> headers = {};
  std::string body = {};

  void SetHeader(std::string name, std::string value);
};

using Handler = std::function<Response(Request&)>;

struct RouteOptions {
  /// Runs on the I/O thread: only for handlers that never block (health, metrics).
  bool inline_on_io = false;
  /// The body is streamed to a file (Request::body_file) and may be as large as
  /// server.max_upload_bytes instead of server.max_body_bytes.
  bool upload = false;
  /// Path parameters whose value is personal data; masked in access logs.
  std::vector<std::string> sensitive_params = {};
  /// Who may call the route ("public", "signed_in" or a permission), set by the API
  /// layer; the route table carries it for documentation and generated tests.
  std::string access = {};
};

struct Route {
  std::string method;
  std::string pattern;  // segments; "{name}" matches one segment
  Handler handler;
  RouteOptions options;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});

  struct Match {
    const Route* route = nullptr;     // null: no route for the path (404) ...
    bool method_not_allowed = false;  // ... or the path exists for other methods (405)
    std::string allow;                // the Allow header for 405
    std::map<std::string, std::string> params;
  };
  Match Find(std::string_view method, std::string_view path) const;

  /// The catch-all (the portal's static files): answers GET and HEAD (other methods: 405)
  /// for a path that no route matches and whose first segment begins no route, so that
  /// "/api/unknown" stays the API's JSON 404 while "/students/1" reaches the fallback.
  /// Its Route has the pattern kFallbackPattern and no path parameters.
  void SetFallback(Handler handler, RouteOptions options = {});
  static constexpr std::string_view kFallbackPattern = "/*";

  /// Every route, for documentation and for generated route tests.
  const std::vector<Route>& routes() const { return routes_; }

 private:
  // A segment trie so that lookup cost does not grow with the number of routes.
  struct Node {
    std::string segment;  // the literal this child matches
    std::vector<Node> literals;
    std::vector<Node> param;                              // at most one child for "{name}"
    std::vector<std::pair<std::string, size_t>> methods;  // method -> index in routes_
  };
  void Collect(const Node& node, const std::vector<std::string_view>& segments, size_t depth,
               std::vector<const Node*>* found) const;
  bool FallbackTakes(std::string_view first_segment) const;

  std::vector<Route> routes_;
  Node root_;
  std::optional<Route> fallback_;  // not in routes_: it is no documented route
};

/// The path of a request to `route` with the route's sensitive parameters masked, for
/// logs and the audit log (e.g. "/api/v1/students/G440**************").
std::string MaskedPath(const Route& route, const std::map<std::string, std::string>& params);

/// ASCII case-insensitive comparison, for header names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

/// Renders a JSON error body in the API's format (see DESIGN.md).
Response ErrorResponse(int status, std::string_view code, std::string_view message,
                       std::string_view request_id);

}  // namespace nemis::http
