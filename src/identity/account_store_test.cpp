// Accounts, grants and password changes, on both back ends.
#include "identity/account_store.hpp"

#include <gtest/gtest.h>

#include "identity/authenticator.hpp"
#include "identity/credentials.hpp"
#include "identity/identity_testing.hpp"
#include "identity/principal.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::identity {
namespace {

class AccountStoreTest : public IdentityStoreTest {
 protected:
  AccountStore Accounts() { return AccountStore(db(), settings_, clock_); }
  std::string FieldCode(const Status& s) {
    return s.ok() ? "ok" : s.error().fields.empty() ? s.error().code : s.error().fields[0].code;
  }
  Principal Load(std::string_view login) {
    auto id = Accounts().FindId(login);
    EXPECT_TRUE(id.ok() && *id);
    auto p = db().Read<std::optional<Principal>>(
        [&](db::Connection& c) { return LoadPrincipal(c, **id); });
    EXPECT_TRUE(p.ok() && *p);
    return **p;
  }
};

TEST_P(AccountStoreTest, CreatesAnAccountWithAGeneratedPasswordAndItsGrants) {
  auto created = Accounts().Create(
      {"zhang.san", "张三", "440106", {}, false, {{"county_registrar", "440106"}}});
  ASSERT_OK(created);
  EXPECT_EQ(created->generated_password.size(), 20u);
  Authenticator auth(db(), settings_, clock_);
  auto login = auth.CheckPassword("zhang.san", created->generated_password);
  ASSERT_OK(login);
  EXPECT_EQ(login->account_id, created->id);
  Principal p = Load("zhang.san");
  EXPECT_EQ(p.display_name, "张三");
  EXPECT_EQ(p.org_code, "440106");
  ASSERT_EQ(p.grants.size(), 1u);
  EXPECT_EQ(p.grants[0].role_title, "区县学籍主管");
  EXPECT_EQ(p.grants[0].where.level, org::OrgLevel::kCounty);
  EXPECT_TRUE(p.Has("student.view"));
  EXPECT_FALSE(p.Has("account.administer"));
}

TEST_P(AccountStoreTest, RefusesBadLoginsDuplicatesUnknownOrgsAndWeakPasswords) {
  EXPECT_EQ(FieldCode(Accounts().Create({"ab", "x", "440106", "Abcdefgh1234", false, {}}).error()),
            "bad_length");
  EXPECT_EQ(
      FieldCode(Accounts().Create({"Zhang", "x", "440106", "Abcdefgh1234", false, {}}).error()),
      "bad_character");
  EXPECT_EQ(
      FieldCode(Accounts().Create({"li.si", "", "440106", "Abcdefgh1234", false, {}}).error()),
      "required");
  EXPECT_EQ(
      FieldCode(Accounts().Create({"li.si", "李四", "449999", "Abcdefgh1234", false, {}}).error()),
      "unknown_org");
  EXPECT_EQ(FieldCode(Accounts().Create({"li.si", "李四", "440106", "abc", false, {}}).error()),
            "too_short");
  ASSERT_OK(Accounts().Create({"li.si", "李四", "440106", "Abcdefgh1234", false, {}}));
  auto again = Accounts().Create({"li.si", "李四", "440106", "Abcdefgh1234", false, {}});
  ASSERT_THAT(again, nemis::testing::IsErrorCode("login_taken"));
  EXPECT_EQ(again.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(again.error().code, "login_taken");
}

TEST_P(AccountStoreTest, ARefusedGrantLeavesNoAccountBehind) {
  auto created =
      Accounts().Create({"wang.wu", "王五", "440106", {}, false, {{"school_registrar", "440106"}}});
  ASSERT_THAT(created, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(FieldCode(created.error()), "level_not_allowed");
  EXPECT_EQ(created.error().fields[0].field, "org");
  auto id = Accounts().FindId("wang.wu");
  ASSERT_OK(id);
  EXPECT_FALSE(id->has_value());
}

TEST_P(AccountStoreTest, RolesAreGrantedOnlyAtTheirLevels) {
  ASSERT_OK(Accounts().Create({"zhao.liu", "赵六", "2144000001", "Abcdefgh1234", false, {}}));
  EXPECT_EQ(FieldCode(Accounts().Grant("zhao.liu", "school_registrar", "2144000001")), "ok");
  EXPECT_EQ(FieldCode(Accounts().Grant("zhao.liu", "school_registrar", "2144000001")), "ok")
      << "granting twice is a no-op";
  EXPECT_EQ(FieldCode(Accounts().Grant("zhao.liu", "province_registrar", "440106")),
            "level_not_allowed");
  EXPECT_EQ(FieldCode(Accounts().Grant("zhao.liu", "no_such_role", "440106")), "unknown_role");
  EXPECT_EQ(FieldCode(Accounts().Grant("nobody", "school_head", "2144000001")), "unknown_account");
  EXPECT_EQ(Load("zhao.liu").grants.size(), 1u);
}

TEST_P(AccountStoreTest, TheThreeAdministratorsAreSeparated) {
  ASSERT_OK(Accounts().Create(
      {"sec", "安全员", "440000", "Abcdefgh1234", false, {{"security_admin", "440000"}}}));
  EXPECT_EQ(FieldCode(Accounts().Grant("sec", "audit_admin", "440000")), "separation_of_duties");
  EXPECT_EQ(FieldCode(Accounts().Grant("sec", "system_admin", "440000")), "separation_of_duties");
  EXPECT_EQ(FieldCode(Accounts().Grant("sec", "province_registrar", "440000")),
            "separation_of_duties");
  EXPECT_EQ(FieldCode(Accounts().Grant("sec", "security_admin", "000000")), "ok")
      << "the same role elsewhere is fine";
  ASSERT_OK(Accounts().Create(
      {"clerk", "学籍员", "440000", "Abcdefgh1234", false, {{"statistician", "440000"}}}));
  EXPECT_EQ(FieldCode(Accounts().Grant("clerk", "audit_admin", "440000")), "separation_of_duties");
  Principal sec = Load("sec");
  EXPECT_TRUE(sec.Has("account.administer"));
  EXPECT_FALSE(sec.Has("audit.view"));
  EXPECT_FALSE(sec.Has("student.view"));
  EXPECT_FALSE(sec.Has("system.administer"));
}

TEST_P(AccountStoreTest, APasswordChangeRefusesTheLastFiveAndEndsSessions) {
  ASSERT_OK(Accounts().Create({"qian.qi", "钱七", "440106", "Password-0001", false, {}}));
  CredentialStore credentials(db(), settings_, clock_);
  auto id = Accounts().FindId("qian.qi");
  auto session = credentials.OpenSession(**id, "127.0.0.1");
  ASSERT_OK(session);
  for (int i = 2; i <= 5; ++i) {
    Advance(std::chrono::seconds(1));
    ASSERT_OK(Accounts().ChangePassword("qian.qi", "Password-000" + std::to_string(i))) << i;
  }
  auto live = credentials.ResolveSession(session->token);
  ASSERT_OK(live);
  EXPECT_FALSE(live->has_value()) << "changing the password ends the account's sessions";
  for (int i = 1; i <= 5; ++i)
    EXPECT_EQ(FieldCode(Accounts().ChangePassword("qian.qi", "Password-000" + std::to_string(i))),
              "reused")
        << i;
  Advance(std::chrono::seconds(1));
  ASSERT_OK(Accounts().ChangePassword("qian.qi", "Password-0006"));
  Advance(std::chrono::seconds(1));
  EXPECT_EQ(FieldCode(Accounts().ChangePassword("qian.qi", "Password-0001")), "ok")
      << "six passwords ago is allowed";
  Authenticator auth(db(), settings_, clock_);
  EXPECT_OK(auth.CheckPassword("qian.qi", "Password-0001"));
  EXPECT_THAT(auth.CheckPassword("qian.qi", "Password-0006"),
              nemis::testing::IsErrorCode("login_failed"));
}

TEST_P(AccountStoreTest, ScopeForIsTheUnionOfTheGrantsHoldingThePermission) {
  ASSERT_OK(Accounts().Create({"sun.ba",
                               "孙八",
                               "440106",
                               "Abcdefgh1234",
                               false,
                               {{"county_registrar", "440106"},
                                {"county_registrar", "440103"},
                                {"statistician", "440000"}}}));
  Principal p = Load("sun.ba");
  org::Scope students = p.ScopeFor("student.view");
  ASSERT_EQ(students.subtrees().size(), 2u);
  EXPECT_EQ(students.subtrees()[0].code, "440106");
  EXPECT_EQ(students.subtrees()[1].code, "440103");
  org::Scope stats = p.ScopeFor("stats.view");
  EXPECT_EQ(stats.subtrees().size(), 3u);
  EXPECT_TRUE(p.ScopeFor("audit.view").IsNothing());
  EXPECT_EQ(p.GrantSummary(),
            "county_registrar@440106,county_registrar@440103,statistician@440000");
}

}  // namespace
NEMIS_STORE_TEST_SUITE(AccountStoreTest);
}  // namespace nemis::identity
