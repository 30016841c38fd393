// HR's records checked before they are kept: each field's rule at its boundary, and the
// facts (gender, birth date) and time taken from a sound record.
#include "staff/hr_record_check.hpp"

#include <gtest/gtest.h>

namespace nemis::staff {
namespace {

HrStaffRecord Good() {
  return {"11010519491231002X", "李老师", "2144000001",          "专业技术岗位",
          "一级教师",           "在岗",   "2026-12-01T08:00:00Z"};
}

std::optional<std::string> Problem(const HrStaffRecord& r) {
  CheckedRecord out;
  return RecordProblem(r, {2026, 12, 7}, out);
}

TEST(HrRecordCheckTest, ASoundRecordGivesItsFacts) {
  CheckedRecord out;
  EXPECT_EQ(RecordProblem(Good(), {2026, 12, 7}, out), std::nullopt);
  EXPECT_EQ(out.gender, 2);  // 17th digit 2: a woman
  EXPECT_EQ(out.birth_date, "1949-12-31");
  EXPECT_EQ(out.changed_at, "2026-12-01T08:00:00.000Z");
  HrStaffRecord with_ms = Good();
  with_ms.changed_at = "2026-12-01T08:00:00.123Z";
  ASSERT_EQ(RecordProblem(with_ms, {2026, 12, 7}, out), std::nullopt);
  EXPECT_EQ(out.changed_at, "2026-12-01T08:00:00.123Z");
  HrStaffRecord untitled = Good();
  untitled.title = "";  // 工勤 staff often have none
  EXPECT_EQ(Problem(untitled), std::nullopt);
}

TEST(HrRecordCheckTest, EachFieldHasItsRule) {
  auto with = [](auto change) {
    HrStaffRecord r = Good();
    change(r);
    return Problem(r);
  };
  EXPECT_EQ(with([](auto& r) { r.id_number = "110105194912310021"; }), "bad_id");  // check digit
  EXPECT_EQ(with([](auto& r) { r.id_number = "11010520271231002X"; }), "bad_id");  // not born yet
  EXPECT_EQ(with([](auto& r) { r.id_number = ""; }), "bad_id");
  EXPECT_EQ(with([](auto& r) { r.name = ""; }), "bad_name");
  EXPECT_EQ(with([](auto& r) { r.name = "李\t老师"; }), "bad_name");
  EXPECT_EQ(with([](auto& r) { r.name = std::string(51, 'a'); }), "bad_name");
  EXPECT_EQ(with([](auto& r) { r.name = std::string(50, 'a'); }), std::nullopt);
  EXPECT_EQ(with([](auto& r) { r.post = "教师岗位"; }), "bad_post");
  EXPECT_EQ(with([](auto& r) { r.title = std::string(51, 'a'); }), "bad_title");
  EXPECT_EQ(with([](auto& r) { r.status = "在职"; }), "bad_status");
  EXPECT_EQ(with([](auto& r) { r.changed_at = "2026-12-01 08:00:00"; }), "bad_changed_at");
  EXPECT_EQ(with([](auto& r) { r.changed_at = "2026-13-01T08:00:00Z"; }), "bad_changed_at");
  EXPECT_EQ(with([](auto& r) { r.changed_at = ""; }), "bad_changed_at");
}

}  // namespace
}  // namespace nemis::staff
