#include "registry/quality/duplicate_finder.hpp"

#include <gtest/gtest.h>

#include <tuple>

#include "registry/quality/pair_score.hpp"

namespace nemis::registry::quality {
namespace {

ScanRow Row(int64_t id, int64_t school, const std::string& name, int32_t birth = 20150315,
            int gender = 1) {
  ScanRow r;
  r.id = id;
  r.school_id = school;
  r.name = name;
  r.birth = birth;
  r.gender = static_cast<uint8_t>(gender);
  r.ethnicity = 1;
  r.has_id = true;
  r.id_key = 1000 + static_cast<uint64_t>(id);
  r.g1_key = 5000 + static_cast<uint64_t>(id);  // a guardian of one's own
  r.g1_name = TextKey("家长" + std::to_string(id));
  return r;
}

using Found = std::tuple<ProblemKind, int64_t, int64_t>;

std::vector<Found> Find(std::vector<ScanRow> rows, int threshold = kDefaultDuplicateThreshold) {
  std::vector<Found> out;
  for (const Finding& f : FindDuplicates(rows, threshold))
    out.emplace_back(f.kind, f.student_id, f.other_id);
  return out;
}

TEST(DuplicateFinderTest, SameNameBirthAndGenderInTwoSchools) {
  EXPECT_EQ(Find({Row(1, 10, "张小明"), Row(2, 20, "张小明"), Row(3, 20, "李华")}),
            (std::vector<Found>{{ProblemKind::kSameNameBirth, 1, 2}}));
}

TEST(DuplicateFinderTest, WithoutDocumentsItIsTheNoIdKind) {
  ScanRow a = Row(5, 10, "张小明"), b = Row(4, 10, "张小明");
  a.has_id = b.has_id = false;
  a.id_key = b.id_key = 0;
  EXPECT_EQ(Find({a, b}), (std::vector<Found>{{ProblemKind::kNoIdSamePerson, 4, 5}}));
}

TEST(DuplicateFinderTest, SameNameOtherBirthDateOrGenderIsClean) {
  EXPECT_EQ(Find({Row(1, 10, "张小明", 20150315), Row(2, 20, "张小明", 20150316)}),
            std::vector<Found>{});
  EXPECT_EQ(Find({Row(1, 10, "张小明", 20150315, 1), Row(2, 20, "张小明", 20150315, 2)}),
            std::vector<Found>{});
}

TEST(DuplicateFinderTest, SameGuardianSameNameEvenWithAnotherBirthDate) {
  ScanRow a = Row(1, 10, "王芳", 20150315, 2), b = Row(2, 20, "王芳", 20160315, 2);
  b.g2_key = a.g1_key;
  std::vector<ScanRow> rows{a, b};
  auto found = FindDuplicates(rows, kDefaultDuplicateThreshold);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, ProblemKind::kSameGuardianName);
  EXPECT_EQ(found[0].details, R"({"birthDiffers":true})");
}

TEST(DuplicateFinderTest, HomophoneAndTypoWithSharedGuardianAcrossSchools) {
  ScanRow a = Row(1, 10, "张小明"), b = Row(2, 20, "张晓明"), c = Row(3, 30, "张小朋");
  b.g1_key = c.g1_key = a.g1_key;
  EXPECT_EQ(Find({a, b, c}), (std::vector<Found>{{ProblemKind::kSimilarName, 1, 2},
                                                 {ProblemKind::kSimilarName, 1, 3}}));
}

TEST(DuplicateFinderTest, ThresholdEdge) {
  ScanRow a = Row(1, 10, "张小明"), b = Row(2, 20, "张晓明");  // 65: no shared guardian
  EXPECT_EQ(Find({a, b}, 65), (std::vector<Found>{{ProblemKind::kSimilarName, 1, 2}}));
  EXPECT_EQ(Find({a, b}, 66), std::vector<Found>{});
}

TEST(DuplicateFinderTest, TwinsAreNotFlagged) {
  ScanRow a = Row(1, 10, "张小明"), b = Row(2, 10, "张小亮");
  b.g1_key = a.g1_key;
  b.g1_name = a.g1_name;
  EXPECT_EQ(Find({a, b}), std::vector<Found>{});
  // Scored 40: a reviewer who lowers the threshold that far sees them.
  EXPECT_EQ(Find({a, b}, 40), (std::vector<Found>{{ProblemKind::kSimilarName, 1, 2}}));
}

TEST(DuplicateFinderTest, SameDocumentIsTheSurestKind) {
  ScanRow a = Row(1, 10, "张小明"), b = Row(2, 20, "张小明");
  b.id_key = a.id_key;
  EXPECT_EQ(Find({a, b}), (std::vector<Found>{{ProblemKind::kSameIdNumber, 1, 2}}));
}

TEST(DuplicateFinderTest, ThreeRecordsOfOnePersonAreThreePairs) {
  EXPECT_EQ(Find({Row(1, 10, "李明"), Row(2, 20, "李明"), Row(3, 30, "李明")}),
            (std::vector<Found>{{ProblemKind::kSameNameBirth, 1, 2},
                                {ProblemKind::kSameNameBirth, 1, 3},
                                {ProblemKind::kSameNameBirth, 2, 3}}));
}

}  // namespace
}  // namespace nemis::registry::quality
