#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/caller.hpp"
#include "api/login_throttle.hpp"
#include "api/principal_cache.hpp"

namespace nemis::api {

// Distinct API tokens in use at once on a node: other systems and nodes, a few hundred.
constexpr size_t kTokenCacheEntries = 10000;

ApiContext::ApiContext(db::Database& db, const Config& config, crypto::FieldCipher cipher, ImportRunner* imports,
                       std::function<bool()> draining)
    : db(db),
      config(config),
      orgs(db),
      students(db),
      identity(identity::IdentitySettings::FromConfig(config)),
      accounts(db, identity),
      authenticator(db, identity),
      credentials(db, identity),
      cipher(std::move(cipher)),
      mfa(db, this->cipher),
      login_throttle(std::make_unique<LoginThrottle>(static_cast<int>(config.GetInt("identity.login_attempts_per_minute")))),
      token_principals(std::make_unique<PrincipalCache>(std::chrono::seconds(config.GetInt("identity.token_cache_seconds")),
                                                        kTokenCacheEntries)),
      imports(imports),
      draining(std::move(draining)),
      secure_cookies(config.GetBool("identity.secure_cookies")) {}

ApiContext::~ApiContext() = default;

std::string Access::Describe() const {
  switch (kind) {
    case Kind::kPublic: return "public";
    case Kind::kSignedIn: return "signed_in";
    case Kind::kPermission: return std::string(permission);
  }
  return "";
}

void AddApiRoute(http::Router& router, ApiContext& ctx, std::string method, std::string pattern, Access access,
                 ScopedHandler handler, http::RouteOptions options) {
  options.access = access.Describe();
  router.Add(std::move(method), std::move(pattern),
             [&ctx, access, handler = std::move(handler)](http::Request& request) {
               auto caller = ResolveCaller(ctx, request, access);
               if (!caller.ok()) return ErrorJson(caller.error(), request);
               return handler(request, *caller);
             },
             std::move(options));
}

void AddAllRoutes(http::Router& router, ApiContext& ctx) {
  AddHealthRoutes(router, ctx);
  AddAuthRoutes(router, ctx);
  AddOrgRoutes(router, ctx);
  AddStudentRoutes(router, ctx);
  AddStatsRoutes(router, ctx);
  AddImportRoutes(router, ctx);
}

}  // namespace nemis::api
