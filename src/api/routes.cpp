#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/caller.hpp"

namespace nemis::api {

http::Handler WithCaller(ScopedHandler handler) {
  return [handler = std::move(handler)](http::Request& request) {
    auto caller = ResolveCaller(request);
    if (!caller.ok()) return ErrorJson(caller.error(), request);
    return handler(request, *caller);
  };
}

void AddAllRoutes(http::Router& router, ApiContext& ctx) {
  AddHealthRoutes(router, ctx);
  AddOrgRoutes(router, ctx);
  AddStudentRoutes(router, ctx);
  AddStatsRoutes(router, ctx);
  AddImportRoutes(router, ctx);
}

}  // namespace nemis::api
