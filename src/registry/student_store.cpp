#include "registry/student_store.hpp"

#include "db/change_log.hpp"
#include "org/org_store.hpp"
#include "registry/current_grade.hpp"
#include "registry/duplicate_student.hpp"
#include "registry/personal_mask.hpp"
#include "registry/personal_record.hpp"
#include "registry/store_school_lookup.hpp"
#include "registry/student_disclosure.hpp"
#include "registry/student_number.hpp"
#include "registry/student_rows.hpp"
#include "registry/student_texts.hpp"
#include "registry/student_validation.hpp"
#include "registry/temporary_record.hpp"

namespace nemis::registry {
namespace {

using internal::StudentFromRow;
using internal::StudentSelectList;

constexpr std::string_view kFindIdempotencyKey =
    "SELECT body_hash, entity_id FROM idempotency_key WHERE idem_key = $1";
constexpr std::string_view kInsertIdempotencyKey =
    "INSERT INTO idempotency_key (idem_key, route, body_hash, entity_id, created_at) VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kUpdateStudent =
    "UPDATE student SET ethnicity = $1, nationality = $2, overseas = $3, hukou_type = $4, category = $5, "
    "boarding = $6, entry_method = $7, left_behind = $8, migrant_child = $9, orphan = $10, martyr_child = $11, "
    "disability_type = $12, in_regular_class = $13, personal = $14, g1_name = $15, g1_relation = $16, "
    "g2_name = $17, g2_relation = $18, stage = $19, grade = $20, class_no = $21, entry_date = $22, "
    "g1_index = $26, g2_index = $27, id_check = $28, grade_mark = $29, "
    "version = version + 1, updated_at = $23 WHERE id = $24 AND version = $25";
constexpr std::string_view kRegisterRoute = "POST /api/v1/students";

const std::string& SelectByNumberSql() {
  static const std::string sql =
      "SELECT " + StudentSelectList() + " FROM student s WHERE s.number_index = $1";
  return sql;
}
const std::string& SelectByIdSql() {
  static const std::string sql =
      "SELECT " + StudentSelectList() + " FROM student s WHERE s.id = $1";
  return sql;
}

enum class RowLock { kNone, kForUpdate };

// kForUpdate: the row stays as read until the transaction ends (PostgreSQL; SQLite's one
// writer has the whole store to itself), so a write decided on what was read needs no
// second look at the row.
Result<Student> LoadInScope(db::Connection& c, const crypto::FieldCipher& cipher,
                            const org::Scope& scope, std::string_view number,
                            RowLock lock = RowLock::kNone) {
  const std::string index = NumberIndex(cipher, number);
  db::SqlBuilder sql(SelectByNumberSql(), {index});
  scope.AddFilter(sql, org::ScopedTable::kStudent, "s");
  if (lock == RowLock::kForUpdate && c.backend() == db::Backend::kPostgres) sql.Add(" FOR UPDATE");
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  if (rs.empty()) return Error::NotFound("学籍号对应的学生不存在");
  return StudentFromRow(rs.rows[0], cipher);
}

// Keys are kept per route and per account: the same key sent to another kind of create,
// or by another account, is new. (The account's id is digits followed by a space, so no
// two (account, key) pairs give one stored key.) Keys stored before keys were the
// account's own carry no account and are never found again.
std::string StoredKey(const RegisterOptions& options) {
  return std::string(kRegisterRoute) + " " + std::to_string(options.account_id) + " " +
         *options.idempotency_key;
}

// The student an earlier request with this key created, as it is now. A replay is a read
// like any other: a student now outside the caller's scope is "not found".
Result<std::optional<Student>> Replay(db::Connection& c, const crypto::FieldCipher& cipher,
                                      const org::Scope& scope, const RegisterOptions& options) {
  if (!options.idempotency_key) return std::optional<Student>();
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kFindIdempotencyKey, {StoredKey(options)}));
  if (rs.empty()) return std::optional<Student>();
  if (rs.rows[0].Text(0) != options.body_hash)
    return Error{
        ErrorKind::kInvalid, "idempotency_key_reused", "Idempotency-Key 已用于内容不同的请求", {}};
  db::SqlBuilder sql(SelectByIdSql(), {rs.rows[0].Int(1)});
  scope.AddFilter(sql, org::ScopedTable::kStudent, "s");
  NEMIS_ASSIGN_OR_RETURN(auto st, c.Query(sql.sql(), sql.params()));
  if (st.empty()) return Error::NotFound("学籍号对应的学生不存在");
  NEMIS_ASSIGN_OR_RETURN(Student s, StudentFromRow(st.rows[0], cipher));
  return std::optional<Student>(std::move(s));
}

Status Insert(db::Connection& c, const crypto::FieldCipher& cipher, Student& s,
              std::string_view now) {
  NEMIS_ASSIGN_OR_RETURN(auto ids, db::AllocateIds(c, "student", 1));
  s.id = ids.at(0);
  s.version = 1;
  s.created_at = s.updated_at = std::string(now);
  const int64_t school[] = {s.enrolment.school_id};
  NEMIS_ASSIGN_OR_RETURN(auto promotions, SchoolPromotions(c, school));
  s.enrolment.grade_mark = promotions[s.enrolment.school_id];  // the grade is as of now
  SealPersonal(cipher, s);
  internal::StudentParamStorage storage;
  std::array<db::Param, internal::kStudentColumnCount> params;
  internal::StudentParams(s, 0, storage, params);
  // Deferred: a registration lost to a concurrent one of the same person fails its commit
  // on the unique index, with the same unique_violation.
  NEMIS_TRY(c.Defer(internal::StudentInsertSql(), params));
  return db::AppendChanges(c, "student", db::ChangeOp::kInsert, ids, now);
}

// Validation whose school lookup read the store: a store that failed meanwhile is that
// failure (503), not the "unknown school" the lookup's empty answer made of it (422).
Result<Student> ValidateReadingStore(const StudentInput& input, const ValidationContext& ctx,
                                     const internal::StoreSchoolLookup& schools) {
  Result<Student> s = ValidateStudent(input, ctx);
  if (!schools.status().ok()) return schools.status().error();
  return s;
}

// Fields whose change is not a plain correction: identity needs an approval (a correction
// case, student_correction.hpp; a student number never changes), the school a transfer.
// Compared after validation, so that the same value written another way (女 for 2, a
// lowercase x) is no change.
std::string RestrictedChangeMessage(StudentField f) {
  using F = StudentField;
  if (f == F::kSchoolCode) return "更换学校须办理转学";
  if (f == F::kStudentNumber) return "学籍号一经确定不能修改";
  return std::string(FieldLabel(f)) +
         "的变更须提交证明并经审批：请在学生页面“申请更正”（POST "
         "/api/v1/students/{学籍号}/corrections）";
}

Status CheckRestrictedChanges(const Student& current, const Student& next) {
  using F = StudentField;
  std::vector<FieldError> errors;
  auto check = [&](bool changed, F f) {
    if (!changed) return;
    errors.push_back({std::string(FieldName(f)),
                      f == F::kSchoolCode ? "requires_transfer" : "requires_approval",
                      RestrictedChangeMessage(f)});
  };
  check(next.student_number != current.student_number, F::kStudentNumber);
  check(next.name != current.name, F::kName);
  check(next.gender != current.gender, F::kGender);
  check(next.birth_date != current.birth_date, F::kBirthDate);
  check(next.id_type != current.id_type, F::kIdType);
  check(next.id_number != current.id_number, F::kIdNumber);
  check(next.enrolment.school_code != current.enrolment.school_code, F::kSchoolCode);
  if (errors.empty()) return {};
  return Error::Invalid(std::move(errors), "部分字段不能直接修改");
}

}  // namespace

Result<RegisterOutcome> StudentStore::Register(const StudentViewer& viewer,
                                               const StudentInput& input,
                                               const RegisterOptions& options) {
  std::string now = FormatUtc(clock_.Now());
  Date today = clock_.TodayInChina();
  const org::Scope& scope = viewer.scope;
  auto outcome = db_.Write<RegisterOutcome>(
      [&](db::Connection& c) -> Result<RegisterOutcome> {
        NEMIS_ASSIGN_OR_RETURN(auto earlier, Replay(c, cipher_, scope, options));
        if (earlier) {
          NEMIS_TRY(internal::AuditInWrite(c, clock_, viewer, std::span(&*earlier, 1)));
          return RegisterOutcome{std::move(*earlier), true};
        }
        internal::StoreSchoolLookup schools(c);
        ValidationContext ctx{today, &schools, &scope};
        NEMIS_ASSIGN_OR_RETURN(Student s, ValidateReadingStore(input, ctx, schools));
        // One person, one number: a document already registered anywhere on the node is
        // refused, naming the school only within the caller's scope (duplicate_student.hpp).
        NEMIS_TRY(CheckDocumentFree(c, cipher_, scope, s.id_type, s.id_number));
        // A child registered before without a document: the document goes on that record.
        if (!options.not_temporary_record) NEMIS_TRY(CheckNoTemporaryRecord(c, cipher_, scope, s));
        NEMIS_TRY(IssueStudentNumber(c, cipher_, s, options.temporary_number));
        NEMIS_TRY(Insert(c, cipher_, s, now));
        if (options.idempotency_key)
          NEMIS_TRY(c.Defer(kInsertIdempotencyKey,
                            {StoredKey(options), kRegisterRoute, options.body_hash, s.id, now}));
        NEMIS_TRY(internal::AuditInWrite(c, clock_, viewer, std::span(&s, 1)));
        return RegisterOutcome{std::move(s), false};
      },
      options.attachment);
  if (outcome.ok()) internal::ShowAudited(viewer, std::span(&outcome->student, 1));
  return outcome;
}

Result<Student> StudentStore::Get(const StudentViewer& viewer, std::string_view number) {
  auto student = db_.Read<Student>(
      [&](db::Connection& c) { return LoadInScope(c, cipher_, viewer.scope, number); });
  if (student.ok()) ShowTo(viewer, std::span(&*student, 1));
  return student;
}

Result<std::vector<StatusChange>> StudentStore::Changes(const StudentViewer& viewer,
                                                        std::string_view number) {
  return db_.Read<std::vector<StatusChange>>(
      [&](db::Connection& c) -> Result<std::vector<StatusChange>> {
        NEMIS_ASSIGN_OR_RETURN(Student s, LoadInScope(c, cipher_, viewer.scope, number));
        return LoadStatusChanges(c, s.id);
      });
}

Result<Student> StudentStore::Update(const StudentViewer& viewer, std::string_view number,
                                     const StudentInput& changes, Seen seen,
                                     db::WriteAttachment* attachment) {
  const int64_t expected_version = seen.version;
  std::string now = FormatUtc(clock_.Now());
  Date today = clock_.TodayInChina();
  const org::Scope& scope = viewer.scope;
  auto updated = db_.Write<Student>(
      [&](db::Connection& c) -> Result<Student> {
        NEMIS_ASSIGN_OR_RETURN(Student current,
                               LoadInScope(c, cipher_, scope, number, RowLock::kForUpdate));
        if (current.version != expected_version ||
            (seen.promotions && *seen.promotions != current.enrolment.grade_mark))
          return Error::PreconditionFailed();
        internal::StudentTexts texts = internal::TextsOf(current);
        for (size_t i = 0; i < kStudentFieldCount; ++i)
          if (changes.present[i]) texts[i] = std::string(changes.values[i]);
        internal::StoreSchoolLookup schools(c);
        ValidationContext ctx{today, &schools, &scope};
        NEMIS_ASSIGN_OR_RETURN(Student next,
                               ValidateReadingStore(internal::InputOf(texts), ctx, schools));
        if (next.student_number.empty())
          next.student_number = current.student_number;            // not supplied: kept
        next.enrolment.grade_mark = current.enrolment.grade_mark;  // same school, as of now
        NEMIS_TRY(CheckRestrictedChanges(current, next));
        SealPersonal(cipher_, next);
        const Guardian &g1 = next.guardian1, &g2 = next.guardian2;
        const Enrolment& e = next.enrolment;
        // The row is locked as read and its version checked: the update cannot miss it, so
        // it is deferred to go with the commit.
        NEMIS_TRY(c.Defer(kUpdateStudent, {next.ethnicity,
                                           next.nationality,
                                           next.overseas,
                                           next.hukou_type,
                                           next.category,
                                           next.boarding,
                                           next.entry_method,
                                           next.left_behind,
                                           next.migrant_child,
                                           next.orphan,
                                           next.martyr_child,
                                           next.disability_type,
                                           next.in_regular_class,
                                           next.sealed.record,
                                           g1.name,
                                           g1.relation,
                                           g2.name,
                                           g2.relation,
                                           e.stage,
                                           e.grade,
                                           e.class_no,
                                           e.entry_date,
                                           now,
                                           current.id,
                                           expected_version,
                                           next.sealed.g1_index,
                                           next.sealed.g2_index,
                                           next.sealed.id_check,
                                           next.enrolment.grade_mark}));
        const int64_t ids[] = {current.id};
        NEMIS_TRY(db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, now));
        next.id = current.id;
        next.student_number = current.student_number;
        next.number_kind = current.number_kind;
        next.enrolment.status = current.enrolment.status;
        next.version = expected_version + 1;
        next.created_at = current.created_at;
        next.updated_at = now;
        NEMIS_TRY(internal::AuditInWrite(c, clock_, viewer, std::span(&next, 1)));
        return next;
      },
      attachment);
  if (updated.ok()) internal::ShowAudited(viewer, std::span(&*updated, 1));
  return updated;
}

namespace {

constexpr std::string_view kResidentId = "1";  // JY/T 身份证件类型码: 居民身份证

// The row of the student a transfer lookup names, by its blind index.
Result<std::optional<Student>> LoadForTransfer(db::Connection& c, const crypto::FieldCipher& cipher,
                                               TransferKey key, std::string_view value) {
  // Params borrow their text: the index must outlive the statement.
  const std::string index = key == TransferKey::kStudentNumber ? NumberIndex(cipher, value)
                                                               : DocumentIndex(cipher, value);
  db::SqlBuilder sql("SELECT " + StudentSelectList() + " FROM student s WHERE ");
  if (key == TransferKey::kStudentNumber)
    sql.Add("s.number_index = $1", {index});
  else
    sql.Add("s.id_type = $1 AND s.id_index = $2", {kResidentId, index});
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  if (rs.empty()) return std::optional<Student>();
  NEMIS_ASSIGN_OR_RETURN(Student s, StudentFromRow(rs.rows[0], cipher));
  return std::optional<Student>(std::move(s));
}

}  // namespace

Result<TransferCandidate> StudentStore::FindForTransfer(TransferKey key, std::string_view value,
                                                        std::string_view name) {
  return db_.Read<TransferCandidate>([&](db::Connection& c) -> Result<TransferCandidate> {
    NEMIS_ASSIGN_OR_RETURN(auto found, LoadForTransfer(c, cipher_, key, value));
    // The same answer for an unknown number and for another name.
    if (!found || found->name != name)
      return Error::NotFound("没有与所给学籍号（或身份证件号）和姓名都相符的学生");
    NEMIS_ASSIGN_OR_RETURN(auto school, org::OrgStore::Load(c, found->enrolment.school_code));
    TransferCandidate out;
    out.student_number = MaskStudentNumber(found->student_number);
    out.name = MaskName(found->name);
    out.gender = found->gender;
    out.school_code = found->enrolment.school_code;
    out.school_name = school ? school->name : "";
    out.stage = found->enrolment.stage;
    out.grade = found->enrolment.grade;
    out.status = found->enrolment.status;
    return out;
  });
}

void StudentStore::ShowTo(const StudentViewer& viewer, std::span<Student> students) {
  internal::ShowTo(db_, clock_, viewer, students);
}

}  // namespace nemis::registry
