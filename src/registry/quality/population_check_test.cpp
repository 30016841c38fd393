// The online population check on both stores, against a register played by the test: only
// students with a resident ID are sent, in batches of the size asked, only their ID and name;
// the verdicts are kept as the file path keeps them; a second run asks only for those not
// found 一致 (all with recheck); answers about persons not asked for, repeated or missing are
// not kept; an unknown verdict and a failing register stop the run with what was kept kept;
// a dry run keeps nothing; the scope leaves other schools' students out.
#include "registry/quality/population_check.hpp"

#include <gtest/gtest.h>

#include <map>

#include "registry/number_testing.hpp"

namespace nemis::registry::quality {
namespace {

using number_testing::kSchool1;
using number_testing::kSchool2;

// The register: knows some persons by ID with a name; answers 一致, 姓名不符 or 查无此人.
class FakeRegister {
 public:
  std::map<std::string, std::string> known;  // ID -> name
  std::vector<size_t> batches;               // persons per request
  int fail_on_request = 0;                   // 1-based; 0: never
  std::function<void(std::vector<PopulationVerdict>&)> bend;

  VerifyPersons Verify() {
    return
        [this](std::span<const PersonToCheck> persons) -> Result<std::vector<PopulationVerdict>> {
          batches.push_back(persons.size());
          if (static_cast<int>(batches.size()) == fail_on_request)
            return Error::Unavailable("人口信息比对服务暂不可用");
          std::vector<PopulationVerdict> out;
          for (const PersonToCheck& p : persons) {
            auto it = known.find(p.id_number);
            out.push_back({p.id_number, p.name,
                           it == known.end()      ? "查无此人"
                           : it->second == p.name ? "一致"
                                                  : "姓名不符"});
          }
          if (bend) bend(out);
          return out;
        };
  }
};

class PopulationCheckTest : public number_testing::NumberTest {
 protected:
  PopulationCheckReport Check(FakeRegister& reg, bool recheck = false, bool dry = false,
                              const org::Scope& scope = org::Scope::Everything()) {
    PopulationCheckOptions options;
    options.batch = 2;
    options.recheck = recheck;
    options.dry_run = dry;
    options.today = "2026-12-06";
    return CheckPopulation(db(), cipher_, scope, reg.Verify(), options);
  }

  std::string VerdictOf(const Student& s) {
    return Text("SELECT population_check FROM student WHERE id = " + std::to_string(s.id));
  }
};

TEST_P(PopulationCheckTest, KeepsEachVerdictAndAsksAgainOnlyForTheRest) {
  Student a = Enrol(1, false), b = Enrol(2, true), c = Enrol(3, false), d = Enrol(4, false),
          e = Enrol(5, false);
  FakeRegister reg;
  reg.known = {{*a.id_number, a.name},
               {*b.id_number, b.name},
               {*c.id_number, "王大三"},
               {*e.id_number, e.name}};
  auto r = Check(reg);
  ASSERT_OK(r.stopped);
  EXPECT_EQ(r.sent, 5);
  EXPECT_EQ(r.unanswered, 0);
  EXPECT_EQ(r.kept.match, 3);
  EXPECT_EQ(r.kept.name_mismatch, 1);
  EXPECT_EQ(r.kept.unknown, 1);
  EXPECT_EQ(reg.batches, (std::vector<size_t>{2, 2, 1}));
  EXPECT_EQ(VerdictOf(a), "match");
  EXPECT_EQ(VerdictOf(b), "match");
  EXPECT_EQ(VerdictOf(c), "name_mismatch");
  EXPECT_EQ(VerdictOf(d), "unknown");
  EXPECT_EQ(Text("SELECT population_checked_on FROM student WHERE id = " + std::to_string(d.id)),
            "2026-12-06");

  // Only the two not found 一致 are asked again; with recheck, everyone.
  reg.batches.clear();
  auto again = Check(reg);
  ASSERT_OK(again.stopped);
  EXPECT_EQ(again.sent, 2);
  auto all = Check(reg, /*recheck=*/true);
  ASSERT_OK(all.stopped);
  EXPECT_EQ(all.sent, 5);
}

TEST_P(PopulationCheckTest, SendsNoStudentWithoutAResidentId) {
  Student a = Enrol(1, false);
  Enrol(2, false);
  ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query("UPDATE student SET id_type = '6' WHERE id = $1", {a.id}));  // 护照
    return {};
  }));
  FakeRegister reg;
  auto r = Check(reg);
  ASSERT_OK(r.stopped);
  EXPECT_EQ(r.sent, 1);
  EXPECT_EQ(VerdictOf(a), "");
}

TEST_P(PopulationCheckTest, KeepsOnlyAnswersAboutPersonsAsked) {
  Student a = Enrol(1, false), b = Enrol(2, false);
  FakeRegister reg;
  reg.known = {{*a.id_number, a.name}, {*b.id_number, b.name}};
  reg.bend = [&](std::vector<PopulationVerdict>& out) {
    out.push_back(out.front());                             // the same answer twice
    out.push_back({"110105194912310021", "某人", "一致"});  // not asked for
    out.push_back({*a.id_number, "王大一", "姓名不符"});    // another name than sent
    out.erase(out.begin() + 1);                             // b not answered
  };
  auto r = Check(reg);
  ASSERT_OK(r.stopped);
  EXPECT_EQ(r.sent, 2);
  EXPECT_EQ(r.unanswered, 1);
  EXPECT_EQ(r.kept.match, 1);
  EXPECT_EQ(r.kept.name_mismatch, 0);
  EXPECT_EQ(VerdictOf(a), "match");
  EXPECT_EQ(VerdictOf(b), "");
}

TEST_P(PopulationCheckTest, AnUnknownVerdictStopsTheRunKeepingNothingOfItsBatch) {
  Student a = Enrol(1, false), b = Enrol(2, false), c = Enrol(3, false);
  FakeRegister reg;
  reg.known = {{*a.id_number, a.name}, {*b.id_number, b.name}, {*c.id_number, c.name}};
  int request = 0;
  reg.bend = [&](std::vector<PopulationVerdict>& out) {
    if (++request == 2) out.front().verdict = "待核实";
  };
  auto r = Check(reg);
  EXPECT_THAT(r.stopped, nemis::testing::IsErrorCode("bad_answer"));
  EXPECT_EQ(r.sent, 3);              // the second batch left the node before its answer was refused
  EXPECT_EQ(VerdictOf(a), "match");  // the first batch was kept before the second was sent
  EXPECT_EQ(VerdictOf(c), "");
}

TEST_P(PopulationCheckTest, AFailingRegisterLeavesWhatWasKept) {
  Student a = Enrol(1, false), b = Enrol(2, false), c = Enrol(3, false);
  FakeRegister reg;
  reg.known = {{*a.id_number, a.name}, {*b.id_number, b.name}, {*c.id_number, c.name}};
  reg.fail_on_request = 2;
  auto stopped = Check(reg);
  EXPECT_FALSE(stopped.stopped.ok());
  EXPECT_EQ(stopped.sent, 3);
  EXPECT_EQ(stopped.kept.match, 2);
  EXPECT_EQ(VerdictOf(b), "match");
  EXPECT_EQ(VerdictOf(c), "");
  reg.fail_on_request = 0;
  auto rest = Check(reg);
  ASSERT_OK(rest.stopped);
  EXPECT_EQ(rest.sent, 1);  // the next run asks for the rest only
  EXPECT_EQ(VerdictOf(c), "match");
}

TEST_P(PopulationCheckTest, DryRunKeepsNothingAndScopeLeavesOtherSchoolsOut) {
  Student a = Enrol(1, false), b = Enrol(2, false, kSchool2);
  FakeRegister reg;
  reg.known = {{*a.id_number, a.name}, {*b.id_number, b.name}};
  auto dry = Check(reg, false, /*dry=*/true);
  ASSERT_OK(dry.stopped);
  EXPECT_TRUE(dry.kept.dry_run);
  EXPECT_EQ(dry.kept.match, 2);
  EXPECT_EQ(VerdictOf(a), "");
  auto school2 = org::OrgStore(db(), clock_).Get(org::Scope::Everything(), kSchool2);
  ASSERT_OK(school2);
  auto r = Check(reg, false, false, org::Scope::Of(*school2));
  ASSERT_OK(r.stopped);
  EXPECT_EQ(r.sent, 1);
  EXPECT_EQ(VerdictOf(a), "");
  EXPECT_EQ(VerdictOf(b), "match");
}

NEMIS_STORE_TEST_SUITE(PopulationCheckTest);

}  // namespace
}  // namespace nemis::registry::quality
