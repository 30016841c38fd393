#include "registry/quality/problem_decision.hpp"

#include "base/text.hpp"
#include "db/sql_builder.hpp"
#include "org/org_store.hpp"
#include "registry/quality/problem_kind.hpp"
#include "registry/quality/problem_scope.hpp"
#include "registry/text_fields.hpp"

namespace nemis::registry::quality {
namespace {

constexpr std::string_view kEvidence = "evidence";
constexpr std::string_view kNotDuplicate = "not_duplicate";

constexpr std::string_view kSelect =
    "SELECT p.kind, p.state, p.version, p.school_code, p.other_id, p.county_code, "
    "p.city_code, p.province_code, p.other_county_code, p.other_city_code, "
    "p.other_province_code, (SELECT k.status FROM wf_case k WHERE k.id = p.case_id) "
    "FROM problem_record p WHERE p.id = $1";
constexpr std::string_view kResolve =
    "UPDATE problem_record SET state = 'resolved', resolution = $1, resolved_by = $2, "
    "resolved_at = $3, decision_reason = $4, decision_document = $5, version = version + 1 "
    "WHERE id = $6 AND version = $7 AND state = 'open'";

Status CheckRequest(const ProblemDecisionRequest& r) {
  std::vector<FieldError> errors;
  if (r.decision != kEvidence && r.decision != kNotDuplicate)
    errors.push_back({"decision", r.decision.empty() ? "required" : "unknown_decision",
                      "处理方式须为 evidence（佐证）或 not_duplicate（不是重复）"});
  if (r.reason.empty()) errors.push_back({"reason", "required", "须说明处理理由"});
  CheckFreeText(r.reason, "reason", kMaxReasonChars, "处理理由", errors);
  CheckFreeText(r.document, "document", kMaxDocumentChars, "证明材料文号", errors);
  if (!errors.empty()) return Error::Invalid(std::move(errors), "处理信息不完整");
  return {};
}

// Whether `kind` takes `decision`, with the refusal's message when it does not.
std::optional<std::string> Undecidable(ProblemKind kind, std::string_view decision) {
  if (decision == kEvidence) {
    if (IsPairKind(kind))
      return "疑似重复学籍不能以佐证处理，请核实后选择“不是重复”、办理更正或合并学籍";
    if (kind == ProblemKind::kOverdueCase) return "逾期案件在案件办结后自动消除，不能以佐证处理";
    return std::nullopt;
  }
  if (!IsPairKind(kind)) return "只有疑似重复学籍可以认定为“不是重复”";
  if (kind == ProblemKind::kSameIdNumber) return "同一身份证件号只能属于一人，须办理更正或合并学籍";
  return std::nullopt;
}

}  // namespace

Result<DecidedProblem> DecideProblem(db::Database& db, const Clock& clock,
                                     const workflow::Actor& actor, const org::Scope& scope,
                                     const ProblemDecisionRequest& in) {
  ProblemDecisionRequest r = in;
  r.decision = std::string(TrimSpaces(r.decision));
  r.reason = std::string(TrimSpaces(r.reason));
  r.document = std::string(TrimSpaces(r.document));
  NEMIS_TRY(CheckRequest(r));
  return db.Write<DecidedProblem>([&](db::Connection& c) -> Result<DecidedProblem> {
    db::SqlBuilder sql(kSelect, {r.id});
    AddProblemScope(sql, scope, Sides::kEither, "p");
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    if (rs.empty()) return Error::NotFound("问题学籍记录不存在");
    const db::Row& row = rs.rows[0];
    const std::optional<ProblemKind> kind = ParseProblemKind(row.Text(0));
    if (!kind) return Error::Internal("problem_record " + std::to_string(r.id) + " has no kind");
    if (auto why = Undecidable(*kind, r.decision)) return Error::Refused("not_decidable", *why);
    const std::string party = r.decision == kEvidence ? row.Text(3) : CommonAuthority(row, 5);
    NEMIS_ASSIGN_OR_RETURN(auto at, org::OrgStore::Load(c, party));
    const std::string_view permission =
        r.decision == kEvidence ? "student.update" : "student.approve";
    if (!at || !actor.may || !actor.may(permission, *at))
      return Error::Forbidden(r.decision == kEvidence
                                  ? "只有学生所在学校可以佐证处理问题学籍"
                                  : "只有两校共同的上级教育行政部门可以认定不是重复学籍");
    if (row.Text(1) != "open") return Error::Conflict("problem_closed", "该记录已处理或已消除");
    if (row.OptText(11) == "open")
      return Error::Conflict("case_pending", "该记录有在办的合并审批案件，须先办结");
    if (row.Int(2) != r.expected_version)
      return Error::Conflict("version_conflict", "该记录已被他人处理或已更新，请刷新后重试");
    DecidedProblem out{r.id,          r.expected_version + 1, r.decision,
                       actor.account, FormatUtc(clock.Now()), r.reason,
                       r.document};
    NEMIS_ASSIGN_OR_RETURN(auto updated,
                           c.Query(kResolve, {out.resolution, out.resolved_by, out.resolved_at,
                                              out.reason, out.document, r.id, r.expected_version}));
    if (updated.affected != 1)
      return Error::Conflict("version_conflict", "该记录已被他人处理或已更新，请刷新后重试");
    return out;
  });
}

}  // namespace nemis::registry::quality
