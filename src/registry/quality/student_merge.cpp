#include "registry/quality/student_merge.hpp"

#include <nlohmann/json.hpp>

#include "base/text.hpp"
#include "db/change_log.hpp"
#include "db/sql_builder.hpp"
#include "org/org_store.hpp"
#include "registry/personal_mask.hpp"
#include "registry/quality/problem_kind.hpp"
#include "registry/quality/problem_scope.hpp"
#include "registry/status_change.hpp"
#include "registry/student_lock.hpp"
#include "registry/student_rows.hpp"
#include "registry/text_fields.hpp"
#include "registry/transfer_lookup.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::registry::quality {
namespace {

using Json = nlohmann::json;
using workflow::ApprovalCase;

constexpr std::string_view kRetiredStatus = "99";  // 其他: no longer a registration of its own
constexpr std::string_view kCancelChange = "18";   // 取消学籍
constexpr std::string_view kOtherChange = "99";    // 其他

// Columns 5..10: each side's county, city, province (CommonAuthority).
constexpr std::string_view kSelectFinding =
    "SELECT p.kind, p.state, p.version, p.student_id, p.other_id, p.county_code, p.city_code, "
    "p.province_code, p.other_county_code, p.other_city_code, p.other_province_code, "
    "(SELECT k.status FROM wf_case k WHERE k.id = p.case_id) FROM problem_record p "
    "WHERE p.id = $1";
constexpr std::string_view kRetiredBefore =
    "SELECT COUNT(*) FROM student_merge WHERE state = 'applied' AND retired_id IN ($1, $2)";
constexpr std::string_view kInsertMerge =
    "INSERT INTO student_merge (case_id, problem_id, kept_id, retired_id, kept_version, "
    "retired_version, state, reason, document, opened_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9)";
constexpr std::string_view kClaimFinding =
    "UPDATE problem_record SET case_id = $1, version = version + 1 WHERE id = $2 AND version = $3";
constexpr std::string_view kSelectPending =
    "SELECT problem_id, kept_id, retired_id, kept_version, retired_version, reason, document "
    "FROM student_merge WHERE case_id = $1 AND state = 'pending'";
constexpr std::string_view kDropPending =
    "DELETE FROM student_merge WHERE case_id = $1 AND state = 'pending'";
constexpr std::string_view kReleaseFinding =
    "UPDATE problem_record SET case_id = NULL, version = version + 1 WHERE case_id = $1";
// The grade now is kept with the status that stops its promotions (current_grade.hpp).
constexpr std::string_view kRetire =
    "UPDATE student SET status = $1, grade = $5, grade_mark = $6, version = version + 1, "
    "updated_at = $2 WHERE id = $3 AND version = $4";
constexpr std::string_view kTouchKept =
    "UPDATE student SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3";
// Every finding about the pair, whichever side each student is on and whatever its kind.
constexpr std::string_view kResolvePair =
    "UPDATE problem_record SET state = 'resolved', resolution = 'merged', resolved_by = $1, "
    "resolved_at = $2, decision_reason = $3, decision_document = $4, case_id = $5, "
    "version = version + 1 WHERE state <> 'resolved' AND ((student_id = $6 AND other_id = $7) "
    "OR (student_id = $7 AND other_id = $6))";
constexpr std::string_view kFindMergedInto =
    "SELECT m.case_id, m.kept_id FROM student_merge m WHERE m.retired_id = $1 "
    "AND m.state = 'applied'";
constexpr std::string_view kMarkApplied =
    "UPDATE student_merge SET state = 'applied', applied_at = $1 WHERE case_id = $2";

struct Pending {
  int64_t problem_id = 0, kept_id = 0, retired_id = 0, kept_version = 0, retired_version = 0;
  std::string reason, document;
};

Result<MergeRequest> Checked(const MergeRequest& in) {
  MergeRequest r = in;
  r.keep = std::string(TrimSpaces(r.keep));
  r.reason = std::string(TrimSpaces(r.reason));
  r.document = std::string(TrimSpaces(r.document));
  std::vector<FieldError> errors;
  if (r.keep != "student" && r.keep != "other")
    errors.push_back({"keep", r.keep.empty() ? "required" : "unknown_side",
                      "须说明保留哪一方的学籍：student 或 other"});
  if (r.reason.empty()) errors.push_back({"reason", "required", "须说明合并理由"});
  CheckFreeText(r.reason, "reason", kMaxReasonChars, "合并理由", errors);
  CheckFreeText(r.document, "document", kMaxDocumentChars, "证明材料文号", errors);
  if (!errors.empty()) return Error::Invalid(std::move(errors), "合并申请不完整");
  return r;
}

Json SideJson(const Student& s, const org::Institution& school) {
  return {{"number", MaskStudentNumberForRecords(s.student_number)},
          {"name", MaskName(s.name)},
          {"gender", s.gender},
          {"grade", s.enrolment.grade},
          {"status", s.enrolment.status},
          {"school", {{"code", school.code}, {"name", school.name}}}};
}

std::string DetailsJson(int64_t problem_id, ProblemKind kind, const Student& kept,
                        const org::Institution& kept_school, const Student& retired,
                        const org::Institution& retired_school, const MergeRequest& r) {
  return Json{
      {"problem",
       {{"id", problem_id}, {"kind", ProblemKindId(kind)}, {"kindName", ProblemKindName(kind)}}},
      {"kept", SideJson(kept, kept_school)},
      {"retired", SideJson(retired, retired_school)},
      {"reason", r.reason},
      {"document", r.document}}
      .dump();
}

Result<org::Institution> SchoolOf(db::Connection& c, const Student& s) {
  NEMIS_ASSIGN_OR_RETURN(auto school, org::OrgStore::Load(c, s.enrolment.school_code));
  if (!school) return Error::Internal("student's school " + s.enrolment.school_code + " missing");
  return *std::move(school);
}

Result<Student> Locked(db::Connection& c, const crypto::FieldCipher& cipher, int64_t id) {
  NEMIS_ASSIGN_OR_RETURN(auto s, LoadStudentForUpdate(c, cipher, id));
  if (!s) return Error::Internal("student " + std::to_string(id) + " of a finding missing");
  return *std::move(s);
}

// The finding as the asker saw it: open, no merge of it pending, at the version read
// (kSelectFinding's columns).
Status CheckFindingOpen(const db::Row& row, int64_t expected_version) {
  if (row.Text(1) != "open") return Error::Conflict("problem_closed", "该记录已处理或已消除");
  if (row.OptText(11) == "open")
    return Error::Conflict("case_pending", "该记录有在办的合并审批案件，须先办结");
  if (row.Int(2) != expected_version)
    return Error::Conflict("version_conflict", "该记录已被他人处理或已更新，请刷新后重试");
  return {};
}

// The two students may be merged so: no case about either, neither merged away before, and
// no document lost.
Status CheckMergeable(db::Connection& c, const crypto::FieldCipher& cipher, const Student& kept,
                      const Student& retired) {
  for (const Student* s : {&kept, &retired}) {
    NEMIS_ASSIGN_OR_RETURN(
        bool open, workflow::CaseStore::HasOpen(c, StudentSubject(cipher, s->student_number), ""));
    if (open) return Error::Conflict("case_pending", "两名学生之一有在办的审批案件，须先办结");
  }
  NEMIS_ASSIGN_OR_RETURN(auto before, c.Query(kRetiredBefore, {kept.id, retired.id}));
  if (before.rows.at(0).Int(0) > 0)
    return Error::Refused("already_merged", "两条学籍之一已合并到其他学籍");
  if (retired.id_type && !kept.id_type)
    return Error::Refused("keep_documented",
                          "有身份证件的学籍不能并入没有身份证件的学籍，请保留有身份证件的一方");
  return {};
}

Result<Pending> LoadPending(db::Connection& c, int64_t case_id) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectPending, {case_id}));
  if (rs.empty()) return Error::Internal("merge case " + std::to_string(case_id) + " has no merge");
  const db::Row& row = rs.rows[0];
  return Pending{row.Int(0),
                 row.Int(1),
                 row.Int(2),
                 row.Int(3),
                 row.Int(4),
                 row.Text(5),
                 row.OptText(6).value_or("")};
}

StatusChange ChangeOf(const Student& s, std::string_view type, std::string reason,
                      const ApprovalCase& kase, const Pending& p, Date today,
                      const std::string& now) {
  StatusChange change;
  change.type = std::string(type);
  change.change_date = today.ToIso();
  change.approved_on = change.change_date;
  change.reason = std::move(reason);
  change.approval_ref = p.document.empty() ? "case:" + std::to_string(kase.id) : p.document;
  change.case_id = kase.id;
  change.from_school = change.to_school = s.enrolment.school_code;
  change.from_grade = change.to_grade = s.enrolment.grade;
  change.from_class = change.to_class = s.enrolment.class_no;
  change.status_before = s.enrolment.status;
  change.status_after = type == kCancelChange ? std::string(kRetiredStatus) : s.enrolment.status;
  change.recorded_at = now;
  return change;
}

Error Stale() {
  return Error::Conflict("merge_stale",
                         "两条学籍之一已在本案之外发生变化，请退回或撤销后重新申请合并");
}

}  // namespace

bool IsMergeCase(std::string_view type) { return type == kMergeCaseType; }

Result<std::optional<MergedInto>> FindMergedInto(db::Database& db,
                                                 const crypto::FieldCipher& cipher,
                                                 int64_t student_id) {
  return db.Read<std::optional<MergedInto>>(
      [&](db::Connection& c) -> Result<std::optional<MergedInto>> {
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kFindMergedInto, {student_id}));
        if (rs.empty()) return std::optional<MergedInto>();
        const std::string sql =
            "SELECT " + internal::StudentSelectList() + " FROM student s WHERE s.id = $1";
        NEMIS_ASSIGN_OR_RETURN(auto kept, c.Query(sql, {rs.rows[0].Int(1)}));
        if (kept.empty()) return Error::Internal("merged into a student that is gone");
        NEMIS_ASSIGN_OR_RETURN(Student s, internal::StudentFromRow(kept.rows[0], cipher));
        return std::optional<MergedInto>(
            MergedInto{MaskStudentNumberForRecords(s.student_number), rs.rows[0].Int(0)});
      });
}

Result<ApprovalCase> StudentMerges::Open(const workflow::Actor& actor, const org::Scope& scope,
                                         const MergeRequest& request) {
  NEMIS_ASSIGN_OR_RETURN(MergeRequest r, Checked(request));
  const workflow::WorkflowDefinition* definition =
      workflow::DefinitionCatalog::Builtin().Find(kMergeCaseType);
  if (definition == nullptr) return Error::Internal("no workflow student.merge");
  return db_.Write<ApprovalCase>([&](db::Connection& c) -> Result<ApprovalCase> {
    db::SqlBuilder sql(kSelectFinding, {r.problem_id});
    AddProblemScope(sql, scope, Sides::kEither, "p");
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    if (rs.empty()) return Error::NotFound("问题学籍记录不存在");
    const db::Row& row = rs.rows[0];
    const std::optional<ProblemKind> kind = ParseProblemKind(row.Text(0));
    if (!kind || !IsPairKind(*kind) || !row.OptInt(4))
      return Error::Refused("not_mergeable", "只有疑似重复学籍（两条学籍）可以合并");
    const bool keep_student = r.keep == "student";
    NEMIS_ASSIGN_OR_RETURN(Student kept,
                           Locked(c, cipher_, keep_student ? row.Int(3) : row.Int(4)));
    NEMIS_ASSIGN_OR_RETURN(Student retired,
                           Locked(c, cipher_, keep_student ? row.Int(4) : row.Int(3)));
    NEMIS_ASSIGN_OR_RETURN(org::Institution retired_school, SchoolOf(c, retired));
    if (!actor.may || !actor.may(definition->opener.permission, retired_school))
      return Error::Forbidden("只有被合并（退出）学籍所在学校可以申请合并");
    NEMIS_TRY(CheckFindingOpen(row, r.expected_version));
    NEMIS_TRY(CheckMergeable(c, cipher_, kept, retired));
    NEMIS_ASSIGN_OR_RETURN(org::Institution kept_school, SchoolOf(c, kept));
    NEMIS_ASSIGN_OR_RETURN(
        ApprovalCase kase,
        cases_.OpenIn(
            c, actor, *definition, StudentSubject(cipher_, retired.student_number),
            {{"retired_school", retired_school.code},
             {"kept_school", kept_school.code},
             {"authority", CommonAuthority(row, 5)}},
            DetailsJson(r.problem_id, *kind, kept, kept_school, retired, retired_school, r)));
    const std::string now = FormatUtc(clock_.Now());
    NEMIS_TRY(c.Query(kInsertMerge, {kase.id, r.problem_id, kept.id, retired.id, kept.version,
                                     retired.version, r.reason, r.document, now}));
    NEMIS_ASSIGN_OR_RETURN(auto claimed,
                           c.Query(kClaimFinding, {kase.id, r.problem_id, r.expected_version}));
    if (claimed.affected != 1)
      return Error::Conflict("version_conflict", "该记录已被他人处理或已更新，请刷新后重试");
    return kase;
  });
}

Status StudentMerges::OnEnd(db::Connection& c, const ApprovalCase& kase) {
  if (kase.status != workflow::CaseStatus::kApproved) {
    NEMIS_TRY(c.Query(kDropPending, {kase.id}));
    NEMIS_TRY(c.Query(kReleaseFinding, {kase.id}));
    return {};
  }
  NEMIS_ASSIGN_OR_RETURN(Pending p, LoadPending(c, kase.id));
  NEMIS_ASSIGN_OR_RETURN(Student kept, Locked(c, cipher_, p.kept_id));
  NEMIS_ASSIGN_OR_RETURN(Student retired, Locked(c, cipher_, p.retired_id));
  if (kept.version != p.kept_version || retired.version != p.retired_version) return Stale();
  NEMIS_ASSIGN_OR_RETURN(bool kept_busy, workflow::CaseStore::HasOpen(
                                             c, StudentSubject(cipher_, kept.student_number), ""));
  if (kept_busy)
    return Error::Conflict("case_pending", "保留的学籍有在办的审批案件，须先办结后再审批合并");
  const std::string now = FormatUtc(clock_.Now());
  const Date today = clock_.TodayInChina();
  const std::string case_ref = "（案件 " + std::to_string(kase.id) + "）";
  NEMIS_ASSIGN_OR_RETURN(auto retired_row,
                         c.Query(kRetire, {kRetiredStatus, now, retired.id, retired.version,
                                           retired.enrolment.grade, retired.enrolment.grade_mark}));
  NEMIS_ASSIGN_OR_RETURN(auto kept_row, c.Query(kTouchKept, {now, kept.id, kept.version}));
  if (retired_row.affected != 1 || kept_row.affected != 1) return Stale();
  NEMIS_TRY(RecordStatusChange(
      c, retired.id,
      ChangeOf(
          retired, kCancelChange,
          "重复学籍合并，保留学籍号 " + MaskStudentNumberForRecords(kept.student_number) + case_ref,
          kase, p, today, now)));
  NEMIS_TRY(RecordStatusChange(
      c, kept.id,
      ChangeOf(kept, kOtherChange,
               "重复学籍合并，并入学籍号 " + MaskStudentNumberForRecords(retired.student_number) +
                   "（原学校 " + retired.enrolment.school_code + "）" + case_ref,
               kase, p, today, now)));
  const std::string decider = kase.history.empty() ? "" : kase.history.back().actor;
  NEMIS_TRY(
      c.Query(kResolvePair, {decider, now, p.reason, p.document, kase.id, kept.id, retired.id}));
  NEMIS_TRY(c.Query(kMarkApplied, {now, kase.id}));
  const int64_t ids[] = {kept.id, retired.id};
  return db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, now);
}

}  // namespace nemis::registry::quality
