// The built-in definitions are the transfer chains of STANDARDS.md, and a catalog refuses
// what would make a type ambiguous or a definition unreadable, naming the place.
#include "workflow/definition_catalog.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/result_matchers.hpp"

namespace nemis::workflow {
namespace {

std::vector<std::string> Chain(std::string_view type) {
  const WorkflowDefinition* d = DefinitionCatalog::Builtin().Find(type);
  EXPECT_NE(d, nullptr) << type;
  std::vector<std::string> parties;
  if (d == nullptr) return parties;
  parties.push_back(d->opener.party);
  for (const Step& s : d->steps) parties.push_back(s.duty.party);
  return parties;
}

TEST(DefinitionCatalogTest, BuiltinTransferChainsFollowTheRegistryRules) {
  EXPECT_EQ(Chain("transfer.same_county"),
            (std::vector<std::string>{"receiving_school", "sending_school", "county"}));
  EXPECT_EQ(Chain("transfer.other_county"),
            (std::vector<std::string>{"receiving_school", "receiving_county", "sending_school",
                                      "sending_county"}));
  EXPECT_EQ(Chain("transfer.other_province"),
            (std::vector<std::string>{"receiving_school", "receiving_county", "receiving_province",
                                      "sending_school", "sending_county", "sending_province"}));
  // The sending province on another node: its three steps are that node's, as one here.
  EXPECT_EQ(Chain("transfer.external_in"),
            (std::vector<std::string>{"receiving_school", "receiving_county", "receiving_province",
                                      "sending_node"}));
  // ... and on that node, the sending side's own three (the exchange opens the case).
  EXPECT_EQ(Chain("transfer.external_out"),
            (std::vector<std::string>{"sending_school", "sending_school", "sending_county",
                                      "sending_province"}));
  for (const WorkflowDefinition& d : DefinitionCatalog::Builtin().all()) {
    if (!d.type.starts_with("transfer.")) continue;
    EXPECT_EQ(d.step_deadline_working_days, 10)
        << d.type << ": each party acts within 10 working days";
    EXPECT_EQ(d.opener.permission, "student.create") << d.type;
  }
  EXPECT_EQ(DefinitionCatalog::Builtin().Find("transfer.unknown"), nullptr);
}

// Dual control: one step, by someone other than the security administrator who asks.
TEST(DefinitionCatalogTest, PrivilegedAccountChangesNeedOneOtherPerson) {
  EXPECT_EQ(Chain("account.grant_personal_data"), (std::vector<std::string>{"target", "approver"}));
  for (std::string_view type : {"account.grant_administrator", "account.reset_administrator"}) {
    const WorkflowDefinition* d = DefinitionCatalog::Builtin().Find(type);
    ASSERT_NE(d, nullptr) << type;
    EXPECT_EQ(d->opener.permission, "account.administer");
    ASSERT_EQ(d->steps.size(), 1u);
    EXPECT_EQ(d->steps[0].duty.permission, "account.approve_privileged");
  }
  EXPECT_EQ(
      DefinitionCatalog::Builtin().Find("account.grant_personal_data")->steps[0].duty.permission,
      "student.approve");
}

TEST(DefinitionCatalogTest, ErrorsNameTheElementAndField) {
  constexpr std::string_view kGood =
      R"({"type": "a", "title": "A", "opener": {"party": "p", "permission": "x"},
          "steps": [{"name": "s", "party": "q", "permission": "y"}]})";
  auto twice =
      DefinitionCatalog::FromJson("[" + std::string(kGood) + "," + std::string(kGood) + "]");
  ASSERT_THAT(twice, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(twice.error().fields.at(0).field, "[1].type");
  EXPECT_EQ(twice.error().fields.at(0).code, "duplicate_type");
  auto broken = DefinitionCatalog::FromJson(
      "[" + std::string(kGood) +
      R"(, {"type": "b", "title": "B", "opener": {"party": "p", "permission": "x"},
          "steps": [{"name": "s", "permission": "y"}]}])");
  ASSERT_THAT(broken, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(broken.error().fields.at(0).field, "[1].steps[0].party");
  ASSERT_THAT(DefinitionCatalog::FromJson(R"({"type": "a"})"),
              nemis::testing::IsErrorCode("validation_failed"));
  auto one = DefinitionCatalog::FromJson("[" + std::string(kGood) + "]");
  ASSERT_OK(one);
  EXPECT_EQ(one->all().size(), 1u);
}

}  // namespace
}  // namespace nemis::workflow
