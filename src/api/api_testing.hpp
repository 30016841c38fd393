// A node for in-process API tests: a migrated store with Guangdong's divisions and
// the built-in roles, an ApiContext with cheap password hashes and throwaway field
// keys, and every route. Tests call route handlers directly through router_.
#pragma once

#include <memory>

#include "api/api_context.hpp"
#include "db/migrations/migrate.hpp"
#include "identity/builtin_roles.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::api {

class ApiStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(db::Migrate(db()).ok());
    ASSERT_TRUE(config_.Set("identity.argon2_memory_kib", "1024", "test").ok());
    ctx_ = std::make_unique<ApiContext>(db(), config_, crypto::FieldCipher(crypto::FieldKeys::Generate(1)), nullptr,
                                        nullptr);
    ASSERT_TRUE(ctx_->orgs.SeedDivisions("440000").ok());
    ASSERT_TRUE(db().WithWriter([](db::Connection& c) {
      return identity::SeedBuiltinRoles(c, "2026-01-01T00:00:00.000Z");
    }).ok());
  }

  Config config_;
  std::unique_ptr<ApiContext> ctx_;
  http::Router router_;
};

}  // namespace nemis::api
