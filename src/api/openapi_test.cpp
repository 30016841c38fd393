// docs/openapi.yaml (compiled in as OpenApiText()) must describe exactly the routes
// the server registers: every route is documented with its method, and every
// documented operation is a real route. Adding a route without documenting it, or
// leaving the documentation of a removed route behind, fails here.
//
// The YAML is read minimally, by indentation, without a YAML library: under the
// top-level "paths:" key, a line "  /some/{path}:" (indent 2) opens a path and a
// line "    get:" (indent 4) names one of its operations.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_context.hpp"
#include "base/config.hpp"
#include "db/database.hpp"
#include "db/migrations/migrate.hpp"
#include "http/http.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::api {

std::string_view OpenApiText();

namespace {

struct DocumentedPath {
  std::set<std::string> methods;  // lowercase, e.g. "get"
  std::string block;              // every line under the path key, for finer checks
};

struct Documented {
  std::map<std::string, DocumentedPath> paths;
  std::vector<std::string> duplicates;  // path keys or operations given twice
};

const std::set<std::string>& OperationKeys() {
  static const std::set<std::string> keys = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
  return keys;
}

size_t IndentOf(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "key:" (optionally quoted, optionally followed by a comment) -> key; "" for
// anything else (scalars, "key: value", list items).
std::string MappingKey(std::string_view content) {
  if (size_t hash = content.find(" #"); hash != std::string_view::npos) content = TrimRight(content.substr(0, hash));
  if (content.size() < 2 || content.back() != ':') return "";
  std::string_view key = content.substr(0, content.size() - 1);
  if (key.size() >= 2 && (key.front() == '"' || key.front() == '\'') && key.back() == key.front())
    key = key.substr(1, key.size() - 2);
  return std::string(key);
}

Documented ParsePaths(std::string_view yaml) {
  Documented out;
  bool in_paths = false;
  DocumentedPath* current = nullptr;
  while (!yaml.empty()) {
    size_t end = yaml.find('\n');
    std::string_view line = TrimRight(yaml.substr(0, end));
    yaml = end == std::string_view::npos ? std::string_view() : yaml.substr(end + 1);
    size_t indent = IndentOf(line);
    std::string_view content = line.substr(indent);
    if (content.empty() || content.front() == '#') continue;
    if (indent == 0) {
      in_paths = MappingKey(content) == "paths";
      current = nullptr;
      continue;
    }
    if (!in_paths) continue;
    if (indent == 2) {
      std::string key = MappingKey(content);
      current = nullptr;
      if (key.empty() || key.front() != '/') continue;
      if (out.paths.contains(key)) out.duplicates.push_back(key);
      current = &out.paths[key];
      continue;
    }
    if (!current) continue;
    current->block.append(line).append("\n");
    if (indent == 4) {
      std::string key = MappingKey(content);
      if (!OperationKeys().contains(key)) continue;
      if (!current->methods.insert(key).second) out.duplicates.push_back(key + " (twice under one path)");
    }
  }
  return out;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::vector<std::string> PathParams(std::string_view pattern) {
  std::vector<std::string> out;
  size_t open = 0;
  while ((open = pattern.find('{', open)) != std::string_view::npos) {
    size_t close = pattern.find('}', open);
    if (close == std::string_view::npos) break;
    out.emplace_back(pattern.substr(open + 1, close - open - 1));
    open = close + 1;
  }
  return out;
}

TEST(OpenApiParserTest, ReadsPathsAndOperationsByIndentation) {
  constexpr std::string_view kYaml =
      "openapi: 3.0.3\n"
      "info:\n"
      "  title: x\n"
      "  description: |\n"
      "    /not/a/path:\n"
      "paths:\n"
      "  # a comment\n"
      "  /a/{id}:\n"
      "    parameters:\n"
      "      - name: id\n"
      "    get:\n"
      "      summary: 读取\n"
      "      description: |\n"
      "        post:\n"
      "    patch:\n"
      "\n"
      "  \"/b\":\n"
      "    post:   # create\r\n"
      "components:\n"
      "  schemas:\n"
      "    get:\n";
  Documented d = ParsePaths(kYaml);
  ASSERT_EQ(d.paths.size(), 2u);
  EXPECT_EQ(d.paths["/a/{id}"].methods, (std::set<std::string>{"get", "patch"}));
  EXPECT_EQ(d.paths["/b"].methods, (std::set<std::string>{"post"}));
  EXPECT_NE(d.paths["/a/{id}"].block.find("name: id"), std::string::npos);
  EXPECT_TRUE(d.duplicates.empty());
  EXPECT_EQ(ParsePaths("paths:\n  /a:\n    get:\n  /a:\n    get:\n").duplicates.size(), 2u);
}

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = db::Database::Open("sqlite:" + dir_.File("openapi.db"), {});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    db_ = std::move(opened).value();
    auto migrated = db::Migrate(*db_);
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    ctx_ = std::make_unique<ApiContext>(*db_, config_, crypto::FieldCipher(crypto::FieldKeys::Generate(1)), nullptr,
                                        nullptr);
    AddAllRoutes(router_, *ctx_);
    documented_ = ParsePaths(OpenApiText());
  }

  bool IsRoute(const std::string& pattern, const std::string& method) const {
    const auto& routes = router_.routes();
    return std::any_of(routes.begin(), routes.end(),
                       [&](const http::Route& r) { return r.pattern == pattern && Lower(r.method) == method; });
  }

  nemis::testing::TempDir dir_;
  std::unique_ptr<db::Database> db_;
  Config config_;
  std::unique_ptr<ApiContext> ctx_;
  http::Router router_;
  Documented documented_;
};

TEST_F(OpenApiTest, IsAnOpenApi3Document) {
  EXPECT_TRUE(OpenApiText().starts_with("openapi: 3.0.3\n"));
  EXPECT_FALSE(documented_.paths.empty()) << "no \"paths:\" entries found in docs/openapi.yaml";
  EXPECT_TRUE(documented_.duplicates.empty()) << "given twice in docs/openapi.yaml: " << documented_.duplicates.front();
}

TEST_F(OpenApiTest, EveryRouteIsDocumented) {
  ASSERT_FALSE(router_.routes().empty());
  for (const auto& route : router_.routes()) {
    auto path = documented_.paths.find(route.pattern);
    if (path == documented_.paths.end()) {
      ADD_FAILURE() << "docs/openapi.yaml does not document the path " << route.pattern << " (" << route.method << ")";
      continue;
    }
    EXPECT_TRUE(path->second.methods.contains(Lower(route.method)))
        << "docs/openapi.yaml documents " << route.pattern << " but not its operation " << Lower(route.method);
  }
}

TEST_F(OpenApiTest, EveryDocumentedOperationIsARoute) {
  for (const auto& [pattern, path] : documented_.paths) {
    EXPECT_FALSE(path.methods.empty()) << "docs/openapi.yaml lists " << pattern << " without any operation";
    for (const auto& method : path.methods)
      EXPECT_TRUE(IsRoute(pattern, method))
          << "docs/openapi.yaml documents " << method << " " << pattern << ", which the server does not serve";
  }
}

TEST_F(OpenApiTest, PathParametersAreDeclared) {
  for (const auto& [pattern, path] : documented_.paths) {
    for (const auto& param : PathParams(pattern))
      EXPECT_NE(path.block.find("name: " + param), std::string::npos)
          << "docs/openapi.yaml: " << pattern << " does not declare its path parameter " << param;
  }
}

}  // namespace
}  // namespace nemis::api
