// A store for identity tests: migrated, with Guangdong's divisions, a school, the
// built-in roles, cheap password hashes and a clock the test moves.
#pragma once

#include <chrono>

#include "identity/builtin_roles.hpp"
#include "identity/identity_settings.hpp"
#include "org/org_testing.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::identity {

class IdentityStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(org::testing::SeedGuangdongWithOneSchool(db()).ok());
    ASSERT_TRUE(db().WithWriter([](db::Connection& c) {
                      return SeedBuiltinRoles(c, "2026-01-01T00:00:00.000Z");
                    })
                    .ok());
    settings_.argon2 = {1024, 1, 1};  // fast: these tests hash many passwords
  }
  void Advance(std::chrono::seconds by) { clock_.Set(clock_.Now() + by); }

  IdentitySettings settings_;
  FixedClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1795000000))};
};

}  // namespace nemis::identity
