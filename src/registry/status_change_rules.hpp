// The rules of each status change (学籍异动, JY/T 1001 XJYDLB; 中小学生学籍管理办法): which
// current statuses allow it, what it does to the student (status, grade, class), where it
// is not allowed (开除学籍 in compulsory education; 结业/肄业 outside 高中; repeating or
// skipping a grade in compulsory education unless the province allows it), and which
// fields the request must carry. Transfers (21/22) have their own case (transfer.hpp).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "registry/registry_calendar.hpp"
#include "registry/student.hpp"

namespace nemis::registry {

struct StatusChangeRule {
  std::string_view type;                        // XJYDLB code
  std::string_view name;                        // 休学, 复学, ...
  std::vector<std::string_view> from_statuses;  // 学生当前状态码 that allow it
  std::optional<std::string_view> to_status;    // the status after; nullopt: unchanged
  int grade_delta = 0;                          // 留级 -1, 跳级 +1; 降级 asks for the grade
  bool asks_grade = false;                      // 降级: the grade is given
  bool asks_class = false;                      // 转班级, 留级, 降级, 跳级: the new class
  bool compulsory_forbidden = false;            // 开除学籍
  bool compulsory_needs_province = false;       // 留级, 降级, 跳级: provincial rules
  bool senior_only = false;                     // 结业, 肄业
  bool open_at_year_end = false;  // 死亡, 结业, 肄业: also for graduating grades from 1 July
};

/// The rule of a change type, or nullptr (unknown, or a transfer: 21 and 22).
const StatusChangeRule* FindStatusChangeRule(std::string_view type);
/// Every change type this module handles, in code order.
const std::vector<StatusChangeRule>& StatusChangeRules();

/// Provinces (2-digit codes) whose compulsory education allows repeating, dropping or
/// skipping a grade (registry.compulsory_grade_change_provinces), and the year-end calendar.
struct StatusChangeSettings {
  std::set<std::string> grade_change_provinces;
  RegistryCalendar calendar = RegistryCalendar::National();  // the year-end freezes
  static StatusChangeSettings Parse(std::string_view comma_separated_codes);
};

/// Where the student goes: the grade, class and status after the change.
struct StatusChangeTarget {
  int grade = 0;
  std::string class_no;
  std::string status;
};

/// The change applied to `s` as it is now: refusals with stable codes (422):
/// status_not_allowed, not_in_compulsory_education, senior_only,
/// grade_change_not_allowed_here, grade_out_of_stage, validation_failed (grade, class).
Result<StatusChangeTarget> ApplyRule(const StatusChangeRule& rule, const Student& s,
                                     std::optional<int> grade, const std::string& class_no,
                                     const StatusChangeSettings& settings);

}  // namespace nemis::registry
