#include "registry/temporary_record.hpp"

#include "registry/personal_mask.hpp"
#include "registry/student_rows.hpp"

namespace nemis::registry {
namespace {

// On the name index; the rest filters a handful of namesakes.
constexpr std::string_view kNamesakes =
    " FROM student s WHERE s.name = $1 AND s.gender = $2 AND s.birth_date = $3 "
    "AND s.id_type IS NULL AND s.number_kind IN ('J', 'L') "
    "AND s.status NOT IN ('11', '99') ORDER BY s.id";

org::Institution SchoolOf(const Student& s) {
  org::Institution school;
  school.id = s.enrolment.school_id;
  school.code = s.enrolment.school_code;
  school.province_code = s.enrolment.province_code;
  school.city_code = s.enrolment.city_code;
  school.county_code = s.enrolment.county_code;
  return school;
}

}  // namespace

Status CheckNoTemporaryRecord(db::Connection& c, const crypto::FieldCipher& cipher,
                              const org::Scope& scope, const Student& s) {
  if (!s.id_type) return {};
  const std::string sql = "SELECT " + internal::StudentSelectList() + std::string(kNamesakes);
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, {s.name, s.gender, s.birth_date}));
  for (const db::Row& row : rs.rows) {
    NEMIS_ASSIGN_OR_RETURN(Student earlier, internal::StudentFromRow(row, cipher));
    if (!scope.Contains(SchoolOf(earlier))) continue;
    const std::string message =
        "该生可能已以临时学籍号 " + MaskStudentNumberForRecords(earlier.student_number) +
        " 在学校 " + earlier.enrolment.school_code +
        " 注册学籍（姓名、性别、出生日期相同，无身份证件）：请在该学籍上申请更正、补录身份证件号，"
        "学籍号保持不变，不要重复注册；确为不同学生的，确认后可继续注册";
    Error e = Error::Conflict(std::string(kTemporaryRecordExists), message);
    e.fields.push_back({"idNumber", std::string(kTemporaryRecordExists), message});
    return e;
  }
  return {};
}

}  // namespace nemis::registry
