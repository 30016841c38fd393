// A person's decision on a finding (problem_decision.hpp), on both stores: the school gives
// evidence for its student's record; the lowest authority over both schools — the county
// within a county, the city across counties — decides a pair is not a duplicate; every
// refusal (kind, fields, party, version, scope, closed) writes nothing.
#include "registry/quality/problem_decision.hpp"

#include <gtest/gtest.h>

#include "registry/quality/problem_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::registry::quality {
namespace {

using namespace year_end_testing;  // NOLINT(google-build-using-namespace)
using case_testing::ActorWithGrants;
using case_testing::GrantTable;
using nemis::testing::IsErrorCode;
using problem_testing::ProblemRecordTest;

const GrantTable kGrants = {
    {"primary.registrar", {{"student.update", kPrimary}}},
    {"liwan.registrar", {{"student.update", kLiwan}}},
    {"tianhe.county", {{"student.approve", kTianheCounty}}},
    {"guangzhou.city", {{"student.approve", "440100"}}},
};

ProblemDecisionRequest Decision(int64_t id, std::string decision, int64_t version = 1,
                                std::string reason = "经核实无误") {
  ProblemDecisionRequest r;
  r.id = id;
  r.expected_version = version;
  r.decision = std::move(decision);
  r.reason = std::move(reason);
  r.document = "穗教证〔2026〕1号";
  return r;
}

class ProblemDecisionTest : public ProblemRecordTest {
 protected:
  Result<DecidedProblem> Decide(const std::string& account, const ProblemDecisionRequest& r,
                                const org::Scope& scope = org::Scope::Everything()) {
    return DecideProblem(db(), clock_, ActorWithGrants(account, kGrants), scope, r);
  }
};

TEST_P(ProblemDecisionTest, TheSchoolGivesEvidenceForItsStudentsRecord) {
  const Student s = Enrol(1, kPrimary, 3);
  const int64_t id = Finding("age_off_grade", s);
  EXPECT_THAT(Decide("liwan.registrar", Decision(id, "evidence")), IsErrorCode("forbidden"));
  EXPECT_THAT(Decide("tianhe.county", Decision(id, "evidence")), IsErrorCode("forbidden"));
  EXPECT_EQ(StateOf(id), "open///1");

  auto decided =
      Decide("primary.registrar", Decision(id, " evidence ", 1, " 随父母务工，晚入学两年 "));
  ASSERT_OK(decided);
  EXPECT_EQ(decided->version, 2);
  EXPECT_EQ(decided->resolution, "evidence");
  EXPECT_EQ(decided->resolved_by, "primary.registrar");
  EXPECT_EQ(decided->resolved_at, FormatUtc(clock_.Now()));
  EXPECT_EQ(decided->reason, "随父母务工，晚入学两年");
  EXPECT_EQ(StateOf(id), "resolved/evidence/随父母务工，晚入学两年/2");
  EXPECT_THAT(Decide("primary.registrar", Decision(id, "evidence", 2)),
              IsErrorCode("problem_closed"));
}

TEST_P(ProblemDecisionTest, TheLowestAuthorityOverBothSchoolsDecidesAPair) {
  const Student a = Enrol(1, kPrimary, 3), b = Enrol(2, kJunior, 8), c = Enrol(3, kLiwan, 3);
  const int64_t in_county = Finding("same_name_birth", a, &b);
  const int64_t across = Finding("similar_name", a, &c);
  // Across two counties of 广州: not one county's decision, nor a school's.
  EXPECT_THAT(Decide("tianhe.county", Decision(across, "not_duplicate")), IsErrorCode("forbidden"));
  EXPECT_THAT(Decide("primary.registrar", Decision(across, "not_duplicate")),
              IsErrorCode("forbidden"));
  ASSERT_OK(Decide("guangzhou.city", Decision(across, "not_duplicate")));
  EXPECT_EQ(StateOf(across), "resolved/not_duplicate/经核实无误/2");
  // Within 天河区: the county.
  ASSERT_OK(Decide("tianhe.county", Decision(in_county, "not_duplicate")));
  EXPECT_EQ(StateOf(in_county), "resolved/not_duplicate/经核实无误/2");
}

TEST_P(ProblemDecisionTest, RefusalsWriteNothing) {
  const Student a = Enrol(1, kPrimary, 3), b = Enrol(2, kLiwan, 3);
  const int64_t pair = Finding("same_name_birth", a, &b);
  const int64_t same_id = Finding("same_id_number", a, &b);
  const int64_t single = Finding("no_guardian", a);
  const int64_t overdue = Finding("overdue_case", a);

  EXPECT_THAT(Decide("guangzhou.city", Decision(pair, "evidence")), IsErrorCode("not_decidable"));
  EXPECT_THAT(Decide("guangzhou.city", Decision(same_id, "not_duplicate")),
              IsErrorCode("not_decidable"));
  EXPECT_THAT(Decide("primary.registrar", Decision(single, "not_duplicate")),
              IsErrorCode("not_decidable"));
  EXPECT_THAT(Decide("primary.registrar", Decision(overdue, "evidence")),
              IsErrorCode("not_decidable"));

  auto empty = Decide("primary.registrar", Decision(single, "merge", 1, "  "));
  ASSERT_FALSE(empty.ok());
  ASSERT_EQ(empty.error().fields.size(), 2u);
  EXPECT_EQ(empty.error().fields[0].field, "decision");
  EXPECT_EQ(empty.error().fields[0].code, "unknown_decision");
  EXPECT_EQ(empty.error().fields[1].field, "reason");
  EXPECT_EQ(empty.error().fields[1].code, "required");

  EXPECT_THAT(Decide("primary.registrar", Decision(single, "evidence", 7)),
              IsErrorCode("version_conflict"));
  EXPECT_THAT(Decide("primary.registrar", Decision(single + 100, "evidence")),
              IsErrorCode("not_found"));
  // Out of the caller's scope: as if there were none (荔湾's school sees only its side).
  EXPECT_THAT(Decide("primary.registrar", Decision(single, "evidence"),
                     org::Scope::Of(Institution(kLiwan))),
              IsErrorCode("not_found"));
  for (int64_t id : {pair, same_id, single, overdue}) EXPECT_EQ(StateOf(id), "open///1") << id;
}

}  // namespace

NEMIS_STORE_TEST_SUITE(ProblemDecisionTest);

}  // namespace nemis::registry::quality
