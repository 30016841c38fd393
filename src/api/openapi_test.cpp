// docs/openapi.yaml (compiled in as OpenApiText()) must describe the routes the server
// registers as the server answers them:
// - every route is documented with its method, and every documented operation is a
//   real route (adding a route without documenting it, or leaving the documentation
//   of a removed route behind, fails here);
// - path parameters are declared;
// - each operation's security and error statuses are the ones the layers in front of
//   its handler can answer: the access rule (route.options.access, enforced by
//   Guarded in routes.cpp: 401, 403, 503 when the store or the audit log fails), the
//   worker pool (503 overloaded) and the request boundary (500).
// That the document is valid OpenAPI 3 is checked by docs/tools/validate.mjs
// (ctest openapi_valid); here it is read with yaml-cpp.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

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

constexpr std::string_view kUnauthenticated = "#/components/responses/Unauthenticated";
constexpr std::string_view kForbidden = "#/components/responses/Forbidden";
constexpr std::string_view kUnavailable = "#/components/responses/Unavailable";

struct Documented {
  std::map<std::string, std::map<std::string, YAML::Node>>
      operations;  // path -> lowercase method -> operation
  std::map<std::string, YAML::Node> paths;
  std::vector<std::string> duplicates;  // path keys or operations given twice
};

const std::set<std::string>& OperationKeys() {
  static const std::set<std::string> keys = {"get",     "put",  "post",  "delete",
                                             "options", "head", "patch", "trace"};
  return keys;
}

Documented ReadPaths(const YAML::Node& root) {
  Documented out;
  for (const auto& path : root["paths"]) {
    std::string pattern = path.first.as<std::string>();
    if (!out.paths.emplace(pattern, path.second).second) out.duplicates.push_back(pattern);
    auto& operations = out.operations[pattern];
    for (const auto& entry : path.second) {
      std::string key = entry.first.as<std::string>();
      if (!OperationKeys().contains(key)) continue;
      if (!operations.emplace(key, entry.second).second)
        out.duplicates.push_back(key.append(" ").append(pattern));
    }
  }
  return out;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
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

// A parameter or response as written, or the component its local "$ref" names.
// (YAML::Node's operator= writes through to the node it refers to: walk with reset.)
YAML::Node Resolve(const YAML::Node& root, const YAML::Node& node) {
  if (!node.IsMap() || !node["$ref"]) return node;
  std::string ref = node["$ref"].as<std::string>();
  if (!ref.starts_with("#/")) return YAML::Node();
  YAML::Node at;
  at.reset(root);
  for (size_t start = 2;;) {
    size_t end = ref.find('/', start);
    std::string key = ref.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const YAML::Node& parent = at;
    YAML::Node child = parent[key];
    if (!child) return YAML::Node();
    at.reset(child);
    if (end == std::string::npos) return at;
    start = end + 1;
  }
}

std::set<std::string> DeclaredPathParams(const YAML::Node& root, const YAML::Node& path,
                                         const YAML::Node& operation) {
  std::set<std::string> out;
  for (const YAML::Node& list : {path["parameters"], operation["parameters"]}) {
    for (const auto& item : list) {
      YAML::Node param = Resolve(root, item);
      if (param && param["in"] && param["in"].as<std::string>() == "path")
        out.insert(param["name"].as<std::string>());
    }
  }
  return out;
}

// What the server's layers in front of a route's handler decide about its answers.
struct RouteFacts {
  std::string method;  // "GET", "POST", ...
  std::string access;  // "public", "signed_in" or a permission
  bool inline_on_io = false;
};

std::string RefOf(const YAML::Node& response) {
  return response && response.IsMap() && response["$ref"] ? response["$ref"].as<std::string>() : "";
}

// What is wrong with an operation's security and error statuses for such a route.
std::vector<std::string> StatusProblems(const RouteFacts& route, const YAML::Node& operation) {
  std::vector<std::string> out;
  const YAML::Node responses = operation["responses"];
  auto response = [&](const char* status) { return responses ? responses[status] : YAML::Node(); };
  auto require = [&](const char* status, std::string_view ref, const std::string& why) {
    if (!response(status)) {
      out.push_back("documents no " + std::string(status) + ": " + why);
    } else if (!ref.empty() && RefOf(response(status)) != ref) {
      out.push_back("should answer " + std::string(status) + " with $ref: '" + std::string(ref) +
                    "': " + why);
    }
  };
  auto refuse = [&](const char* status, std::string_view ref, const std::string& why) {
    if (RefOf(response(status)) == ref)
      out.push_back("documents " + std::string(status) + " as " + std::string(ref) + ", but " +
                    why);
  };
  const bool open_security = operation["security"] && operation["security"].IsSequence() &&
                             operation["security"].size() == 0;
  const bool write = route.method != "GET" && route.method != "HEAD";
  if (route.access.empty()) {
    out.emplace_back("the route declares no access rule (RouteOptions.access)");
  } else if (route.access == "public") {
    if (!open_security) out.emplace_back("is public: it must say `security: []`");
    refuse("401", kUnauthenticated, "a public route asks for no credentials");
    refuse("403", kForbidden, "a public route checks no permission");
  } else {
    if (open_security)
      out.push_back("says `security: []`, but the route requires credentials (" + route.access +
                    ")");
    require("401", kUnauthenticated, "the route requires credentials");
    require("503", kUnavailable, "identifying the caller reads the store");
    if (route.access != "signed_in") {
      require("403", kForbidden, "the route requires the permission " + route.access);
      std::string description =
          operation["description"] ? operation["description"].as<std::string>() : "";
      if (description.find("`" + route.access + "`") == std::string::npos)
        out.push_back("its description does not name the permission `" + route.access +
                      "` it requires");
    } else if (write) {
      require("403", kForbidden,
              "a signed-in write with a session cookie needs X-CSRF-Token (csrf_failed)");
    } else {
      refuse("403", kForbidden, "a signed-in read checks neither a permission nor X-CSRF-Token");
    }
  }
  if (!route.inline_on_io)
    require("503", "",
            "the route runs on the worker pool, which refuses work when full (overloaded)");
  require("500", "", "any handler can fail (internal)");
  return out;
}

TEST(OpenApiRulesTest, ReadsPathsOperationsAndDuplicates) {
  Documented d =
      ReadPaths(YAML::Load("paths:\n"
                           "  /a/{id}:\n"
                           "    parameters:\n"
                           "      - $ref: '#/components/parameters/Id'\n"
                           "    get: {responses: {}}\n"
                           "    patch: {responses: {}}\n"
                           "  \"/b\":\n"
                           "    post:   # create\n"
                           "      responses: {}\n"
                           "  /b:\n"
                           "    get: {}\n"));
  EXPECT_EQ(d.operations["/a/{id}"].size(), 2u);
  EXPECT_TRUE(d.operations["/a/{id}"].contains("patch"));
  EXPECT_FALSE(d.operations["/a/{id}"].contains("parameters"));
  EXPECT_EQ(d.duplicates, std::vector<std::string>{"/b"});
}

TEST(OpenApiRulesTest, ResolvesReferencedPathParameters) {
  YAML::Node root = YAML::Load(
      "paths:\n"
      "  /a/{id}/{part}:\n"
      "    parameters:\n"
      "      - $ref: '#/components/parameters/Id'\n"
      "    get:\n"
      "      parameters:\n"
      "        - {name: part, in: path, required: true}\n"
      "        - {name: limit, in: query}\n"
      "components:\n"
      "  parameters:\n"
      "    Id: {name: id, in: path, required: true}\n");
  YAML::Node path = root["paths"]["/a/{id}/{part}"];
  EXPECT_EQ(DeclaredPathParams(root, path, path["get"]), (std::set<std::string>{"id", "part"}));
}

std::vector<std::string> ProblemsOf(const RouteFacts& route, const char* yaml) {
  return StatusProblems(route, YAML::Load(yaml));
}

TEST(OpenApiRulesTest, PublicRoutesClaimNoAccessRefusals) {
  const char* ok =
      "security: []\n"
      "responses:\n"
      "  '401': {description: \"login_failed: the handler's own\"}\n"
      "  '500': {$ref: '#/components/responses/Internal'}\n"
      "  '503': {$ref: '#/components/responses/Overloaded'}\n";
  EXPECT_TRUE(ProblemsOf({"POST", "public", false}, ok).empty());
  auto problems = ProblemsOf({"GET", "public", true},
                             "responses:\n"
                             "  '401': {$ref: '#/components/responses/Unauthenticated'}\n"
                             "  '403': {$ref: '#/components/responses/Forbidden'}\n"
                             "  '500': {$ref: '#/components/responses/Internal'}\n");
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_NE(problems[0].find("security: []"), std::string::npos);
  EXPECT_NE(problems[1].find("401"), std::string::npos);
  EXPECT_NE(problems[2].find("403"), std::string::npos);
}

TEST(OpenApiRulesTest, GuardedRoutesDocumentTheirRefusals) {
  const char* full =
      "description: 需要权限 `student.view`。\n"
      "responses:\n"
      "  '401': {$ref: '#/components/responses/Unauthenticated'}\n"
      "  '403': {$ref: '#/components/responses/Forbidden'}\n"
      "  '500': {$ref: '#/components/responses/Internal'}\n"
      "  '503': {$ref: '#/components/responses/Unavailable'}\n";
  EXPECT_TRUE(ProblemsOf({"GET", "student.view", false}, full).empty());
  EXPECT_TRUE(ProblemsOf({"POST", "signed_in", false}, full).empty());
  // The permission must be named, and a read that only needs a sign-in is never refused 403.
  EXPECT_EQ(ProblemsOf({"GET", "student.update", false}, full).size(), 1u);
  EXPECT_EQ(ProblemsOf({"GET", "signed_in", false}, full).size(), 1u);
  auto problems = ProblemsOf({"PATCH", "student.update", false},
                             "security: []\n"
                             "description: 需要权限 `student.update`。\n"
                             "responses:\n"
                             "  '401': {description: 'not the component'}\n"
                             "  '503': {$ref: '#/components/responses/Overloaded'}\n");
  // security: [], 401 not the component, no 403, 503 not Unavailable, no 500.
  EXPECT_EQ(problems.size(), 5u);
  EXPECT_EQ(ProblemsOf({"GET", "", true}, "responses: {'500': {description: x}}\n").size(), 1u);
}

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = db::Database::Open("sqlite:" + dir_.File("openapi.db"), {});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    db_ = std::move(opened).value();
    auto migrated = db::Migrate(*db_);
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    ctx_ = std::make_unique<ApiContext>(
        *db_, config_, crypto::FieldCipher(crypto::FieldKeys::Generate(1)), nullptr, nullptr);
    AddAllRoutes(router_, *ctx_);
    try {
      root_ = YAML::Load(std::string(OpenApiText()));
    } catch (const YAML::Exception& e) {
      FAIL() << "docs/openapi.yaml is not valid YAML: " << e.what();
    }
    documented_ = ReadPaths(root_);
  }

  const YAML::Node* Operation(const http::Route& route) const {
    auto path = documented_.operations.find(route.pattern);
    if (path == documented_.operations.end()) return nullptr;
    auto operation = path->second.find(Lower(route.method));
    return operation == path->second.end() ? nullptr : &operation->second;
  }

  bool IsRoute(const std::string& pattern, const std::string& method) const {
    const auto& routes = router_.routes();
    return std::any_of(routes.begin(), routes.end(), [&](const http::Route& r) {
      return r.pattern == pattern && Lower(r.method) == method;
    });
  }

  nemis::testing::TempDir dir_;
  std::unique_ptr<db::Database> db_;
  Config config_;
  std::unique_ptr<ApiContext> ctx_;
  http::Router router_;
  YAML::Node root_;
  Documented documented_;
};

TEST_F(OpenApiTest, IsAnOpenApi3Document) {
  EXPECT_TRUE(OpenApiText().starts_with("openapi: 3.0.3\n"));
  ASSERT_TRUE(root_["openapi"]);
  EXPECT_EQ(root_["openapi"].as<std::string>(), "3.0.3");
  EXPECT_FALSE(documented_.paths.empty()) << "no \"paths:\" entries found in docs/openapi.yaml";
  EXPECT_TRUE(documented_.duplicates.empty())
      << "given twice in docs/openapi.yaml: " << documented_.duplicates.front();
}

TEST_F(OpenApiTest, EveryRouteIsDocumented) {
  ASSERT_FALSE(router_.routes().empty());
  for (const auto& route : router_.routes()) {
    if (!documented_.paths.contains(route.pattern)) {
      ADD_FAILURE() << "docs/openapi.yaml does not document the path " << route.pattern << " ("
                    << route.method << ")";
      continue;
    }
    EXPECT_NE(Operation(route), nullptr) << "docs/openapi.yaml documents " << route.pattern
                                         << " but not its operation " << Lower(route.method);
  }
}

TEST_F(OpenApiTest, EveryDocumentedOperationIsARoute) {
  for (const auto& [pattern, operations] : documented_.operations) {
    EXPECT_FALSE(operations.empty())
        << "docs/openapi.yaml lists " << pattern << " without any operation";
    for (const auto& [method, operation] : operations)
      EXPECT_TRUE(IsRoute(pattern, method)) << "docs/openapi.yaml documents " << method << " "
                                            << pattern << ", which the server does not serve";
  }
}

TEST_F(OpenApiTest, PathParametersAreDeclared) {
  for (const auto& [pattern, operations] : documented_.operations) {
    std::vector<std::string> wanted = PathParams(pattern);
    for (const auto& [method, operation] : operations) {
      std::set<std::string> declared =
          DeclaredPathParams(root_, documented_.paths.at(pattern), operation);
      EXPECT_EQ(declared, std::set<std::string>(wanted.begin(), wanted.end()))
          << "docs/openapi.yaml: " << method << " " << pattern
          << " declares other path parameters than its path has";
    }
  }
}

TEST_F(OpenApiTest, ErrorStatusesAreThoseTheAccessLayerAnswers) {
  for (const auto& route : router_.routes()) {
    const YAML::Node* operation = Operation(route);
    if (!operation) continue;  // EveryRouteIsDocumented reports it
    for (const auto& problem : StatusProblems(
             {route.method, route.options.access, route.options.inline_on_io}, *operation))
      ADD_FAILURE() << "docs/openapi.yaml: " << Lower(route.method) << " " << route.pattern
                    << " (access " << (route.options.access.empty() ? "?" : route.options.access)
                    << ") " << problem;
  }
}

}  // namespace
}  // namespace nemis::api
