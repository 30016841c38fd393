#include "registry/transfer_arrival.hpp"

#include "db/change_log.hpp"
#include "registry/personal_record.hpp"
#include "registry/status_change.hpp"
#include "registry/student_rows.hpp"

namespace nemis::registry {
namespace {

constexpr std::string_view kByNumber = "SELECT id, version FROM student WHERE number_index = $1";
constexpr std::string_view kByDocument =
    "SELECT id FROM student WHERE id_type = $1 AND id_index = $2";
constexpr std::string_view kPromotions = "SELECT promotions FROM org WHERE id = $1";

StatusChange ArrivalChange(const Student& left, const Student& enrolled, const Arrival& a) {
  StatusChange change;
  change.type = "22";  // 转学(转入)
  change.change_date = a.date.empty() ? a.today : a.date;
  change.reason = a.reason;
  change.approved_on = a.today;
  change.approval_ref = "case:" + std::to_string(a.case_id);
  change.case_id = a.case_id;
  change.from_school = left.enrolment.school_code;
  change.to_school = enrolled.enrolment.school_code;
  change.from_grade = left.enrolment.grade;
  change.to_grade = enrolled.enrolment.grade;
  change.from_class = left.enrolment.class_no;
  change.to_class = enrolled.enrolment.class_no;
  change.status_before = left.enrolment.status;
  change.status_after = enrolled.enrolment.status;
  change.recorded_at = a.now;
  return change;
}

}  // namespace

Result<int64_t> EnrolArrivingStudent(db::Connection& c, const crypto::FieldCipher& cipher,
                                     Student student, const org::Institution& school,
                                     const Arrival& arrival) {
  const Student left = student;
  Enrolment& e = student.enrolment;
  e.school_id = school.id;
  e.school_code = school.code;
  e.province_code = school.province_code.value_or("");
  e.city_code = school.city_code;
  e.county_code = school.county_code;
  e.grade = arrival.grade;
  e.class_no = arrival.class_no;
  e.status = "01";  // 在读
  NEMIS_ASSIGN_OR_RETURN(auto promotions, c.Query(kPromotions, {school.id}));
  e.grade_mark = promotions.rows.empty() ? 0 : promotions.rows[0].Int(0);
  student.created_at = student.updated_at = arrival.now;
  student.sealed = {};
  SealPersonal(cipher, student);

  NEMIS_ASSIGN_OR_RETURN(auto own, c.Query(kByNumber, {student.sealed.number_index}));
  const bool insert = own.rows.empty();
  if (student.id_type && student.sealed.id_index) {
    NEMIS_ASSIGN_OR_RETURN(auto holder,
                           c.Query(kByDocument, {*student.id_type, *student.sealed.id_index}));
    if (!holder.rows.empty() && (insert || holder.rows[0].Int(0) != own.rows[0].Int(0)))
      return Error::Conflict("document_held",
                             "本省已有另一名学生登记了该生的身份证件，须先处理重复学籍");
  }
  if (insert) {
    NEMIS_ASSIGN_OR_RETURN(auto ids, db::AllocateIds(c, "student", 1));
    student.id = ids[0];
    student.version = 1;
  } else {
    student.id = own.rows[0].Int(0);
    student.version = own.rows[0].Int(1) + 1;
  }
  NEMIS_TRY(internal::WriteStudentRow(c, student, insert));
  NEMIS_TRY(RecordStatusChange(c, student.id, ArrivalChange(left, student, arrival)));
  const int64_t ids[] = {student.id};
  NEMIS_TRY(db::AppendChanges(c, "student", insert ? db::ChangeOp::kInsert : db::ChangeOp::kUpdate,
                              ids, arrival.now));
  return student.id;
}

}  // namespace nemis::registry
