#include "registry/graduation.hpp"

#include <nlohmann/json.hpp>

#include "base/text.hpp"
#include "org/authority.hpp"
#include "org/org_store.hpp"
#include "registry/promotion.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::registry {
namespace {

using Json = nlohmann::json;
using workflow::ApprovalCase;

constexpr std::string_view kSeniorType = "graduation.senior";
// Graduation opens with June (高考 and 中考 end then); the calendar says when it must be done.
constexpr int kOpensInMonth = 6;

std::string Subject(const std::string& school, int year) {
  return "graduation:" + school + ":" + std::to_string(year);
}

std::string MonthDay(Date d) {
  return std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
}

Status CheckRequest(const GraduationRequest& request) {
  std::vector<FieldError> errors;
  if (TrimSpaces(request.school).empty())
    errors.push_back({"school", "required", "须填写办理毕业的学校标识码"});
  if (request.year < 2000 || request.year > 2100)
    errors.push_back({"year", "bad_year", "毕业学年须为 2000 至 2100 之间的年份"});
  if (!errors.empty()) return Error::Invalid(std::move(errors), "毕业办理信息不完整");
  return {};
}

PromotionOptions OptionsFor(const org::Institution& school, int year, GraduatingStages stages,
                            bool dry_run) {
  PromotionOptions options;
  options.year = year;
  options.where = org::Scope::Of(school);
  options.stages = stages;
  options.dry_run = dry_run;
  return options;
}

std::string DetailsJson(const org::Institution& school, int year, int64_t students) {
  return Json{{"school", {{"code", school.code}, {"name", school.name}}},
              {"year", year},
              {"students", students}}
      .dump();
}

}  // namespace

bool IsGraduationCase(std::string_view type) { return type == kSeniorType; }

Status Graduations::CheckWindow(int year) const {
  const Date today = clock_.TodayInChina();
  const Date opens{year, kOpensInMonth, 1};
  const Date deadline = calendar_.Of(year).graduation_deadline;
  if (today < opens || today > deadline)
    return Error::Refused("graduation_window", std::to_string(year) + "年的毕业须在" +
                                                   MonthDay(opens) + "至" + MonthDay(deadline) +
                                                   "（北京时间）办理");
  return {};
}

Result<GraduationOutcome> Graduations::Graduate(const workflow::Actor& actor,
                                                const org::Scope& scope,
                                                const GraduationRequest& request) {
  NEMIS_TRY(CheckRequest(request));
  const workflow::WorkflowDefinition* senior =
      workflow::DefinitionCatalog::Builtin().Find(kSeniorType);
  if (senior == nullptr) return Error::Internal("no workflow graduation.senior");
  const std::string code(TrimSpaces(request.school));
  return db_.Write<GraduationOutcome>([&](db::Connection& c) -> Result<GraduationOutcome> {
    NEMIS_ASSIGN_OR_RETURN(auto school, org::OrgStore::Load(c, code));
    if (!school || school->level != org::OrgLevel::kSchool || !scope.Contains(*school))
      return Error::NotFound("学校不存在或不在管辖范围内");
    if (!actor.may || !actor.may(senior->opener.permission, *school))
      return Error::Forbidden("没有为该校办理毕业的权限");
    if (!request.dry_run) NEMIS_TRY(CheckWindow(request.year));
    const std::string subject = Subject(school->code, request.year);
    NEMIS_ASSIGN_OR_RETURN(bool pending, workflow::CaseStore::HasOpen(c, subject, ""));
    if (pending && !request.dry_run)
      return Error::Refused("case_pending", "本校该学年的高中毕业申请正在等待审核");

    GraduationOutcome out;
    out.dry_run = request.dry_run;
    const std::string ref = "graduation:" + std::to_string(request.year);
    NEMIS_ASSIGN_OR_RETURN(PromotionReport direct,
                           GraduateIn(c, clock_,
                                      OptionsFor(*school, request.year,
                                                 GraduatingStages::kAllButSenior, request.dry_run),
                                      ref));
    // The 高中 students are only counted here: the city's approval graduates them.
    NEMIS_ASSIGN_OR_RETURN(
        PromotionReport seniors,
        GraduateIn(c, clock_,
                   OptionsFor(*school, request.year, GraduatingStages::kSeniorOnly, true), ref));
    out.graduated = direct.total.graduated;
    out.awaiting_approval = pending ? 0 : seniors.total.graduated;
    out.held = direct.total.held + seniors.total.held;
    if (request.dry_run) return out;
    if (out.graduated == 0 && out.awaiting_approval == 0)
      return Error::Refused("nothing_to_graduate",
                            "本校没有可以毕业的学生（毕业年级在校、无在办业务、无问题学籍）");
    if (out.awaiting_approval > 0) {
      const std::map<std::string, std::string> parties = {{"school", school->code},
                                                          {"city", org::CityAuthorityOf(*school)}};
      NEMIS_ASSIGN_OR_RETURN(out.application, cases_.OpenIn(c, actor, *senior, subject, parties,
                                                            DetailsJson(*school, request.year,
                                                                        out.awaiting_approval)));
    }
    return out;
  });
}

Status Graduations::OnEnd(db::Connection& c, const ApprovalCase& kase) {
  if (kase.status != workflow::CaseStatus::kApproved) return {};
  const Json details = Json::parse(kase.details, nullptr, false);
  if (!details.is_object() || !details.contains("year"))
    return Error::Internal("graduation case " + std::to_string(kase.id) + " has no details");
  const std::string code = details["school"].value("code", "");
  NEMIS_ASSIGN_OR_RETURN(auto school, org::OrgStore::Load(c, code));
  if (!school) return Error::Internal("graduation case names no school: " + code);
  const int year = details.value("year", 0);
  NEMIS_TRY(GraduateIn(c, clock_, OptionsFor(*school, year, GraduatingStages::kSeniorOnly, false),
                       "case:" + std::to_string(kase.id)));
  return {};
}

}  // namespace nemis::registry
