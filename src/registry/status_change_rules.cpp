#include "registry/status_change_rules.hpp"

#include <algorithm>

#include "codes/province_list.hpp"
#include "codes/stage.hpp"

namespace nemis::registry {
namespace {

// 学生当前状态码 (codes::StudentStatusCodes).
constexpr std::string_view kInSchool = "01", kSuspended = "02", kDroppedOut = "03",
                           kDisciplined = "04", kResumed = "05", kGraduated = "07",
                           kCompleted = "08", kLeftEarly = "09", kDead = "11", kKept = "12",
                           kOther = "99";

bool IsCompulsory(const std::optional<codes::Stage>& stage) {
  return stage == codes::Stage::kPrimary || stage == codes::Stage::kJunior;
}

// What a rule asks for or forbids besides its statuses (flags of Rule below).
enum RuleFlag : unsigned {
  kAsksGrade = 1,
  kAsksClass = 2,
  kCompulsoryForbidden = 4,
  kCompulsoryNeedsProvince = 8,
  kSeniorOnly = 16,
  kOpenAtYearEnd = 32,
};

// to_status "": the status stays.
StatusChangeRule Rule(std::string_view type, std::string_view name,
                      std::vector<std::string_view> from, std::string_view to_status,
                      int grade_delta = 0, unsigned flags = 0) {
  StatusChangeRule r;
  r.type = type;
  r.name = name;
  r.from_statuses = std::move(from);
  if (!to_status.empty()) r.to_status = to_status;
  r.grade_delta = grade_delta;
  r.asks_grade = flags & kAsksGrade;
  r.asks_class = flags & kAsksClass;
  r.compulsory_forbidden = flags & kCompulsoryForbidden;
  r.compulsory_needs_province = flags & kCompulsoryNeedsProvince;
  r.senior_only = flags & kSeniorOnly;
  r.open_at_year_end = flags & kOpenAtYearEnd;
  return r;
}

}  // namespace

const std::vector<StatusChangeRule>& StatusChangeRules() {
  static const std::vector<StatusChangeRule> rules = [] {
    const std::vector<std::string_view> active = {kInSchool, kResumed};
    const unsigned grade_change = kAsksClass | kCompulsoryNeedsProvince;
    return std::vector<StatusChangeRule>{
        Rule("02", "留级", active, "", -1, grade_change),
        Rule("03", "降级", active, "", 0, grade_change | kAsksGrade),
        Rule("04", "跳级", active, "", 1, grade_change),
        Rule("11", "休学", active, kSuspended),
        Rule("12", "复学", {kSuspended}, kInSchool),
        Rule("13", "停学", active, kDisciplined),
        Rule("17", "恢复学籍", {kDroppedOut, kDisciplined, kKept, kOther}, kInSchool),
        Rule("18", "取消学籍", {kInSchool, kResumed, kSuspended, kDisciplined, kKept}, kOther),
        Rule("19", "保留学籍", active, kKept),
        Rule("29", "转班级", active, "", 0, kAsksClass),
        Rule("31", "退学", {kInSchool, kResumed, kSuspended}, kDroppedOut),
        Rule("42", "开除学籍", active, kOther, 0, kCompulsoryForbidden),
        Rule("51", "死亡", {kInSchool, kResumed, kSuspended, kDisciplined, kKept, kDroppedOut},
             kDead, 0, kOpenAtYearEnd),
        Rule("61", "提前毕业", active, kGraduated),
        Rule("62", "结业", active, kCompleted, 0, kSeniorOnly | kOpenAtYearEnd),
        Rule("63", "肄业", active, kLeftEarly, 0, kSeniorOnly | kOpenAtYearEnd),
    };
  }();
  return rules;
}

const StatusChangeRule* FindStatusChangeRule(std::string_view type) {
  for (const StatusChangeRule& rule : StatusChangeRules())
    if (rule.type == type) return &rule;
  return nullptr;
}

StatusChangeSettings StatusChangeSettings::Parse(std::string_view codes) {
  StatusChangeSettings rules;
  rules.grade_change_provinces = codes::ParseProvinceList(codes);
  return rules;
}

Result<StatusChangeTarget> ApplyRule(const StatusChangeRule& rule, const Student& s,
                                     std::optional<int> grade, const std::string& class_no,
                                     const StatusChangeSettings& settings) {
  const Enrolment& e = s.enrolment;
  if (std::find(rule.from_statuses.begin(), rule.from_statuses.end(), e.status) ==
      rule.from_statuses.end())
    return Error::Refused("status_not_allowed",
                          "该生当前学籍状态（" + e.status + "）不能办理" + std::string(rule.name));
  const auto stage = codes::ParseStage(e.stage);
  if (rule.compulsory_forbidden && IsCompulsory(stage))
    return Error::Refused("not_in_compulsory_education",
                          "义务教育阶段不得" + std::string(rule.name));
  if (rule.senior_only && stage != codes::Stage::kSenior)
    return Error::Refused("senior_only", std::string(rule.name) + "只适用于普通高中学生");
  if (rule.compulsory_needs_province && IsCompulsory(stage) &&
      !settings.grade_change_provinces.count(e.province_code.substr(0, 2)))
    return Error::Refused("grade_change_not_allowed_here",
                          "本省义务教育阶段不办理" + std::string(rule.name));
  StatusChangeTarget target{e.grade, e.class_no, std::string(rule.to_status.value_or(e.status))};
  std::vector<FieldError> errors;
  if (rule.asks_grade) {
    if (!grade)
      errors.push_back({"grade", "required", std::string(rule.name) + "须给出转入年级"});
    else if (*grade >= e.grade)
      errors.push_back({"grade", "bad_grade", "降级后的年级须低于现年级"});
    else
      target.grade = *grade;
  }
  target.grade += rule.grade_delta;
  if (rule.asks_class) {
    if (class_no.empty())
      errors.push_back({"class", "required", std::string(rule.name) + "须给出新班号"});
    else if (class_no == e.class_no && rule.grade_delta == 0 && !rule.asks_grade)
      errors.push_back({"class", "same_class", "新班号与现班号相同"});
    else
      target.class_no = class_no;
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors), "异动申请不完整");
  if (target.grade != e.grade && (!stage || !codes::GradeInStage(*stage, target.grade)))
    return Error::Refused("grade_out_of_stage",
                          std::string(rule.name) + "后的年级不在该生所在学段内");
  return target;
}

}  // namespace nemis::registry
