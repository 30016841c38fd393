// Routing: patterns are split into segments and stored in a trie; a request path
// is matched segment by segment, trying literal children before the "{name}" child
// so that "/students/search" wins over "/students/{number}".
#include <algorithm>
#include <array>
#include <stdexcept>

#include "http/http.hpp"

namespace nemis::http {
namespace {

std::vector<std::string_view> SplitSegments(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path[0] == '/') path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool IsParam(std::string_view segment) {
  return segment.size() >= 3 && segment.front() == '{' && segment.back() == '}';
}

const std::pair<std::string, size_t>* FindMethod(
    const std::vector<std::pair<std::string, size_t>>& methods, std::string_view method) {
  for (const auto& m : methods) {
    if (m.first == method) return &m;
  }
  return nullptr;
}

// Allow lists the methods in a stable, conventional order, then any others.
std::string RenderAllow(std::vector<std::string> methods) {
  static constexpr std::array<std::string_view, 7> kOrder = {"GET",   "HEAD",   "POST",   "PUT",
                                                             "PATCH", "DELETE", "OPTIONS"};
  if (std::find(methods.begin(), methods.end(), "GET") != methods.end())
    methods.emplace_back("HEAD");
  std::sort(methods.begin(), methods.end(), [](const std::string& a, const std::string& b) {
    auto rank = [](const std::string& m) {
      return static_cast<size_t>(std::find(kOrder.begin(), kOrder.end(), m) - kOrder.begin());
    };
    return std::make_pair(rank(a), a) < std::make_pair(rank(b), b);
  });
  methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
  std::string allow;
  for (const auto& m : methods) allow += (allow.empty() ? "" : ", ") + m;
  return allow;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  if (pattern.empty() || pattern[0] != '/')
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  Node* node = &root_;
  for (std::string_view segment : SplitSegments(pattern)) {
    if (IsParam(segment)) {
      if (node->param.empty()) node->param.emplace_back();
      node = &node->param.front();
      continue;
    }
    auto it = std::find_if(node->literals.begin(), node->literals.end(),
                           [&](const Node& n) { return n.segment == segment; });
    if (it == node->literals.end()) {
      node->literals.emplace_back();
      node->literals.back().segment = std::string(segment);
      it = node->literals.end() - 1;
    }
    node = &*it;
  }
  if (FindMethod(node->methods, method))
    throw std::logic_error("duplicate route: " + method + " " + pattern);
  node->methods.emplace_back(method, routes_.size());
  routes_.push_back(
      Route{std::move(method), std::move(pattern), std::move(handler), std::move(options)});
}

void Router::Collect(const Node& node, const std::vector<std::string_view>& segments, size_t depth,
                     std::vector<const Node*>* found) const {
  if (depth == segments.size()) {
    if (!node.methods.empty()) found->push_back(&node);
    return;
  }
  for (const Node& child : node.literals) {
    if (child.segment == segments[depth]) Collect(child, segments, depth + 1, found);
  }
  // A parameter never matches an empty segment ("/students/" is not "/students/{n}").
  if (!node.param.empty() && !segments[depth].empty())
    Collect(node.param.front(), segments, depth + 1, found);
}

void Router::SetFallback(Handler handler, RouteOptions options) {
  fallback_ = Route{"GET", std::string(kFallbackPattern), std::move(handler), std::move(options)};
}

// A first segment that begins a route ("api", "oidc", "healthz", ...) belongs to the
// routes: their 404 and 405 answers stay theirs.
bool Router::FallbackTakes(std::string_view first_segment) const {
  if (!fallback_ || !root_.param.empty()) return false;
  return std::none_of(root_.literals.begin(), root_.literals.end(),
                      [&](const Node& n) { return n.segment == first_segment; });
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  std::vector<std::string_view> segments = SplitSegments(path);
  std::vector<const Node*> found;
  Collect(root_, segments, 0, &found);
  if (found.empty() && FallbackTakes(segments.front())) {
    if (method == "GET" || method == "HEAD") {
      match.route = &*fallback_;
    } else {
      match.method_not_allowed = true;
      match.allow = "GET, HEAD";
    }
    return match;
  }
  for (const Node* node : found) {
    const auto* hit = FindMethod(node->methods, method);
    if (!hit && method == "HEAD") hit = FindMethod(node->methods, "GET");
    if (!hit) continue;
    match.route = &routes_[hit->second];
    std::vector<std::string_view> pattern = SplitSegments(match.route->pattern);
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (IsParam(pattern[i]))
        match.params.emplace(std::string(pattern[i].substr(1, pattern[i].size() - 2)),
                             std::string(segments[i]));
    }
    return match;
  }
  if (found.empty()) return match;
  std::vector<std::string> methods;
  for (const Node* node : found) {
    for (const auto& m : node->methods) methods.push_back(m.first);
  }
  match.method_not_allowed = true;
  match.allow = RenderAllow(std::move(methods));
  return match;
}

}  // namespace nemis::http
