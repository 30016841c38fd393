// What the handlers share: the store, the module services and the node's settings.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/config.hpp"
#include "db/database.hpp"
#include "http/http.hpp"
#include "org/org_store.hpp"
#include "registry/student_store.hpp"

namespace nemis::api {

class ImportRunner;

struct ApiContext {
  db::Database& db;
  const Config& config;
  org::OrgStore orgs;
  registry::StudentStore students;
  ImportRunner* imports = nullptr;
  std::function<bool()> draining;  // true while the server shuts down
};

/// A handler that runs for an identified caller (see caller.hpp).
using ScopedHandler = std::function<http::Response(http::Request&, const struct Caller&)>;

/// Wraps a ScopedHandler: resolves the caller first, answers errors in the API format.
http::Handler WithCaller(ScopedHandler handler);

void AddHealthRoutes(http::Router& router, ApiContext& ctx);
void AddOrgRoutes(http::Router& router, ApiContext& ctx);
void AddStudentRoutes(http::Router& router, ApiContext& ctx);
void AddStatsRoutes(http::Router& router, ApiContext& ctx);
void AddImportRoutes(http::Router& router, ApiContext& ctx);

/// Every route of the API.
void AddAllRoutes(http::Router& router, ApiContext& ctx);

}  // namespace nemis::api
