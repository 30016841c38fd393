// A node for in-process API tests: a migrated store with Guangdong's divisions and
// the built-in roles, an ApiContext with cheap password hashes and throwaway field
// keys, and every route. Tests call route handlers directly through router_.
#pragma once

#include <memory>

#include "api/api_context.hpp"
#include "db/migrations/migrate.hpp"
#include "http/url.hpp"
#include "identity/builtin_roles.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::api {

class ApiStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(db::Migrate(db()).ok());
    ASSERT_TRUE(config_.Set("identity.argon2_memory_kib", "1024", "test").ok());
    // The registry's year-end freezes (1 July – 10 August, Beijing time) would refuse the
    // transfers and status changes the tests open on the system's clock on those days:
    // that year's calendar moves to the end of December then.
    const Date today = Clock::System().TodayInChina();
    if (today.month == 7 || (today.month == 8 && today.day <= 10)) {
      const std::string moved = std::to_string(today.year) + ":12-27,12-28,12-29,12-30";
      ASSERT_TRUE(config_.Set("registry.calendar_years", moved, "test").ok());
    }
    ctx_ = std::make_unique<ApiContext>(db(), config_,
                                        crypto::FieldCipher(crypto::FieldKeys::Generate(1)),
                                        nullptr, nullptr, BusinessClock());
    ASSERT_TRUE(ctx_->orgs.SeedDivisions("440000").ok());
    ASSERT_TRUE(db().WithWriter([](db::Connection& c) {
                      return identity::SeedBuiltinRoles(c, "2026-01-01T00:00:00.000Z");
                    })
                    .ok());
  }

  /// The registry's clock (ApiContext::clock): the system's unless a test sets the day.
  virtual const Clock& BusinessClock() { return Clock::System(); }

  /// Dispatches a request through router_ (add the routes first) as the server would:
  /// the target parsed into path and query, path parameters matched.
  http::Response Call(std::string method, const std::string& target, std::string body,
                      std::vector<std::pair<std::string, std::string>> headers = {},
                      std::string remote_address = "10.0.0.9") {
    http::Request r;
    r.method = std::move(method);
    r.target = target;
    EXPECT_TRUE(http::ParseTarget(target, &r.path, &r.query).ok()) << target;
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.remote_address = std::move(remote_address);
    r.request_id = "req-" + std::to_string(++requests_);
    auto match = router_.Find(r.method, r.path);
    EXPECT_NE(match.route, nullptr) << r.method << " " << r.path;
    if (!match.route) return http::Response{.status = 404};
    r.path_params = match.params;
    return match.route->handler(r);
  }
  /// A primary school `code` in the county `county`.
  void AddSchool(std::string_view code, std::string_view county, std::string_view name,
                 std::string_view type = "211") {
    org::InstitutionInput in;
    in.code = std::string(code);
    in.parent_code = std::string(county);
    in.name = std::string(name);
    in.school_type = std::string(type);
    ASSERT_TRUE(ctx_->orgs.Create(org::Scope::Everything(), in).ok());
  }
  /// An account with `role` at `org` and an API token for it.
  std::string TokenFor(const std::string& login, const std::string& role, const std::string& org) {
    auto created = ctx_->accounts.Create({login, login, org, "Abcdefgh1234", false, {{role, org}}});
    EXPECT_TRUE(created.ok()) << login << ": " << (created.ok() ? "" : created.error().message);
    auto token = ctx_->credentials.CreateApiToken(created.ok() ? created->id : 0, "test",
                                                  std::chrono::hours(0));
    return token.ok() ? *token : "";
  }

  Config config_;
  std::unique_ptr<ApiContext> ctx_;
  http::Router router_;
  int requests_ = 0;
};

}  // namespace nemis::api
