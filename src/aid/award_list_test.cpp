// Award lists on both stores: a good list kept whole and kept again unchanged; one bad row
// keeps nothing, and every bad row and column is named (unknown or out-of-scope student,
// another name, not in school, no resident ID, a programme not for the stage, above the
// ceiling, a malformed amount or year, a year not begun, a repeated row); a listed award
// replaced, a refused one re-listed under a new payment id, a sent or paid one left alone;
// files that are not lists refused.
#include "aid/award_list.hpp"

#include <gtest/gtest.h>

#include "aid/aid_testing.hpp"

namespace nemis::aid {
namespace {

using registry::Student;
using registry::number_testing::kSchool2;

class AwardListTest : public testing::AidTest {
 protected:
  // "line column: message" of each error, for comparing whole lists.
  static std::vector<std::string> Lines(const AwardListReport& r) {
    std::vector<std::string> out;
    for (const AwardRowError& e : r.errors)
      out.push_back(std::to_string(e.line) + " " + e.column + ": " + e.message);
    return out;
  }
};

TEST_P(AwardListTest, KeepsAGoodListAndKeepingItAgainChangesNothing) {
  Student a = Enrol(1, false), b = Enrol(2, false), c = EnrolSenior(3);
  const std::string list =
      ListFile({Row(a, "02", "2026", "1000"),
                Row(b, "义务教育家庭经济困难学生生活补助", "2026-2027学年", "500.5"),
                Row(c, "03", "2026-2027", "3500.00")});
  auto r = Keep(list);
  ASSERT_OK(r);
  EXPECT_EQ(Lines(*r), std::vector<std::string>{});
  EXPECT_EQ(r->rows, 3);
  EXPECT_EQ(r->added, 3);
  EXPECT_EQ(AwardText(a, "amount_fen"), "100000");
  EXPECT_EQ(AwardText(b, "amount_fen"), "50050");
  EXPECT_EQ(AwardText(b, "programme"), "02");
  EXPECT_EQ(AwardText(b, "school_year"), "2026");
  EXPECT_EQ(AwardText(c, "programme"), "03");
  EXPECT_EQ(AwardText(c, "school_code"), testing::kSenior);
  EXPECT_EQ(AwardText(c, "county_code"), "440106");
  EXPECT_EQ(AwardText(a, "status"), "listed");
  EXPECT_EQ(AwardText(a, "listed_at"), "2026-12-06T02:00:00.000Z");
  EXPECT_EQ(AwardText(a, "length(payment_id)"), "32");
  EXPECT_NE(AwardText(a, "payment_id"), AwardText(b, "payment_id"));

  const std::string id = AwardText(a, "payment_id");
  auto again = Keep(list);
  ASSERT_OK(again);
  EXPECT_EQ(again->added, 0);
  EXPECT_EQ(again->unchanged, 3);
  EXPECT_EQ(AwardText(a, "payment_id"), id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM aid_award"), 3);
}

TEST_P(AwardListTest, OneBadRowKeepsNothingAndEveryBadRowIsNamed) {
  Student a = Enrol(1, false), b = Enrol(2, false), left = Enrol(3, false),
          passport = Enrol(4, false), senior = EnrolSenior(5);
  ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query("UPDATE student SET status = '03' WHERE id = $1", {left.id}));  // 退学
    NEMIS_TRY(c.Query("UPDATE student SET id_type = '6' WHERE id = $1", {passport.id}));
    return {};
  }));
  const std::string list = ListFile({
      Row(a, "02", "2026", "1000"),              // 2: good
      "G440106201903159999,王小九,02,2026,800",  // 3: no such student
      a.student_number + ",王大一,01,2026,800",  // 4: another name; preschool aid
      Row(b, "03", "2026", "1000"),              // 5: senior grant for a pupil
      Row(b, "02", "2025", "1000.01"),           // 6: above 小学's 1000 元
      Row(b, "02", "2024", "\"1,000\""),         // 7: amount written with a comma
      Row(b, "02", "2028", "100"),               // 8: a school year not begun
      Row(b, "09", "二〇二六", "100"),           // 9: no such programme or year
      Row(a, "02", "2026-2027", "900"),          // 10: repeats line 2
      Row(left, "02", "2026", "100"),            // 11: not in school
      Row(passport, "02", "2026", "100"),        // 12: no resident ID
      Row(senior, "03", "2026", "3500.01"),      // 13: above 3500 元
      ",,,,",                                    // blank: skipped
      Row(senior, "", "2026", "0"),              // 15: no programme, amount 0
      Row(senior, "03", "2026", "1,000"),        // 16: unquoted comma
  });
  auto r = Keep(list);
  ASSERT_OK(r);
  EXPECT_EQ(r->rows, 14);
  const std::string programmes =
      "应为：01 学前教育幼儿资助、02 义务教育家庭经济困难学生生活补助、03 普通高中国家助学金、"
      "04 中等职业学校国家助学金、05 本专科生国家助学金、06 国家励志奖学金、07 国家奖学金";
  const std::string amount = "不是金额：以元为单位、最多两位小数、大于 0，例如 1500 或 1500.00";
  EXPECT_EQ(Lines(*r),
            (std::vector<std::string>{
                "3 学籍号: 没有这个学籍号的学生，或该生不在您的管辖范围内",
                "4 姓名: 与该学籍号学生的姓名不符",
                "4 资助项目: “学前教育幼儿资助”不适用于小学学生",
                "5 资助项目: “普通高中国家助学金”不适用于小学学生",
                "6 金额: 超过“义务教育家庭经济困难学生生活补助”每生每学年的国家标准上限 1000.00 元",
                "7 金额: “1,000”" + amount,
                "8 学年: 学年 2028 尚未开始（最晚 2027 学年）",
                "9 资助项目: “09”不是资助项目，" + programmes,
                "9 学年: “二〇二六”不是学年，应写作 2026 或 2026-2027",
                "10 : 与第 2 行重复：同一学生、同一资助项目、同一学年只能列一次",
                "11 学籍号: 该生不在校（学籍状态 03），不能列入资助名单",
                "12 学籍号: 该生没有居民身份证号：资助资金发放到以身份证号开立的账户，不能列入",
                "13 金额: 超过“普通高中国家助学金”每生每学年的国家标准上限 3500.00 元",
                "15 资助项目: “”不是资助项目，" + programmes,
                "15 金额: “0”" + amount,
                "16 : 有 6 列，表头有 5 列（可能有未加引号的逗号或缺少单元格）",
            }));
  EXPECT_EQ(r->added, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM aid_award"), 0);
}

TEST_P(AwardListTest, AStudentOutsideTheScopeIsUnknown) {
  Student a = Enrol(1, false), b = Enrol(2, false, kSchool2);
  auto school1 =
      org::OrgStore(db()).Get(org::Scope::Everything(), registry::number_testing::kSchool1);
  ASSERT_OK(school1);
  auto r = Keep(ListFile({Row(a, "02", "2026", "500"), Row(b, "02", "2026", "500")}),
                org::Scope::Of(*school1));
  ASSERT_OK(r);
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].line, 3u);
  EXPECT_EQ(r->errors[0].message, "没有这个学籍号的学生，或该生不在您的管辖范围内");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM aid_award"), 0);
}

TEST_P(AwardListTest, ListedIsReplacedRefusedRelistedSentAndPaidLeftAlone) {
  Student a = Enrol(1, false);
  ASSERT_OK(Keep(ListFile({Row(a, "02", "2026", "500")})));
  const std::string first_id = AwardText(a, "payment_id");

  auto replaced = Keep(ListFile({Row(a, "02", "2026", "600")}));
  ASSERT_OK(replaced);
  EXPECT_EQ(replaced->replaced, 1);
  EXPECT_EQ(AwardText(a, "amount_fen"), "60000");
  EXPECT_EQ(AwardText(a, "payment_id"), first_id);  // never sent: the same payment

  for (const auto& [status, message] :
       {std::pair{
            "sent",
            "该生 2026 学年的“义务教育家庭经济困难学生生活补助”已报送财政、等待发放结果，不能修改"},
        std::pair{"paid", "该生 2026 学年的“义务教育家庭经济困难学生生活补助”已发放，不能修改"}}) {
    SetAward(a, std::string("status = '") + status + "'");
    auto r = Keep(ListFile({Row(a, "02", "2026", "700")}));
    ASSERT_OK(r);
    ASSERT_EQ(r->errors.size(), 1u) << status;
    EXPECT_EQ(r->errors[0].message, message);
    EXPECT_EQ(AwardText(a, "amount_fen"), "60000");
  }

  SetAward(a, "status = 'refused', reason = '无有效一卡通账户', settled_at = 'x', sent_at = 'y'");
  auto relisted = Keep(ListFile({Row(a, "02", "2026", "600")}));
  ASSERT_OK(relisted);
  EXPECT_EQ(relisted->replaced, 1);
  EXPECT_EQ(AwardText(a, "status"), "listed");
  EXPECT_EQ(AwardText(a, "reason"), "");
  EXPECT_EQ(AwardText(a, "settled_at"), "");
  EXPECT_EQ(AwardText(a, "sent_at"), "");
  EXPECT_NE(AwardText(a, "payment_id"), first_id);  // a new payment for finance
  EXPECT_EQ(AwardText(a, "length(payment_id)"), "32");
}

TEST_P(AwardListTest, AFileThatIsNotAListIsRefused) {
  EXPECT_THAT(Keep(ListFile({}, "学籍号,姓名,资助项目,金额")),
              nemis::testing::IsErrorCode("bad_header"));
  const std::string empty = dir_.File("empty.csv");
  std::ofstream(empty).close();
  EXPECT_THAT(Keep(empty), nemis::testing::IsErrorCode("empty_file"));
  EXPECT_FALSE(Keep(dir_.File("absent.csv")).ok());

  Student a = Enrol(1, false);
  AwardListOptions options;
  options.now = "2026-12-06T02:00:00.000Z";
  options.today = {2026, 12, 6};
  options.max_rows = 2;
  const std::string three =
      ListFile({Row(a, "02", "2024", "1"), Row(a, "02", "2025", "1"), Row(a, "02", "2026", "1")});
  EXPECT_THAT(KeepAwardList(db(), cipher_, org::Scope::Everything(), three, options),
              nemis::testing::IsErrorCode("too_many_rows"));
  options.max_rows = 3;
  EXPECT_OK(KeepAwardList(db(), cipher_, org::Scope::Everything(), three, options));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM aid_award"), 3);
}

NEMIS_STORE_TEST_SUITE(AwardListTest);

}  // namespace
}  // namespace nemis::aid
