#include "exchange/student_lookup.hpp"

#include "codes/id_number.hpp"
#include "registry/current_grade.hpp"
#include "registry/personal_record.hpp"
#include "registry/transfer_lookup.hpp"

namespace nemis::exchange {
namespace {

constexpr std::string_view kColumns =
    "SELECT s.province_code, s.school_code, o.name, s.stage, s.status, s.grade, s.grade_mark, "
    "o.promotions, s.name FROM student s JOIN org o ON o.id = s.school_id WHERE ";
constexpr std::string_view kByDocument = "s.id_type = $1 AND s.id_index = $2";
constexpr std::string_view kByNumber = "s.number_index = $1";
constexpr std::string_view kSchool = "SELECT name, promotions FROM org WHERE code = $1";

}  // namespace

Result<std::optional<NationalView>> LookUpStudent(db::Database& db,
                                                  const crypto::FieldCipher& cipher,
                                                  const StudentQuery& query) {
  std::string sql(kColumns);
  std::vector<std::string> params;
  if (!query.id_number.empty()) {
    const std::string type = query.id_type.empty() ? "1" : query.id_type;
    const std::string number =
        type == "1" ? codes::NormalizeIdNumber(query.id_number) : query.id_number;
    sql += kByDocument;
    params = {type, registry::DocumentIndex(cipher, number)};
  } else if (!query.student_number.empty()) {
    sql += kByNumber;
    params = {registry::NumberIndex(cipher, query.student_number)};
  } else {
    return Error::Invalid({{"idNumber", "required", "请给出身份证件号或学籍号"}});
  }
  return db.Read<std::optional<NationalView>>([&](db::Connection& c)
                                                  -> Result<std::optional<NationalView>> {
    std::vector<db::Param> bound(params.begin(), params.end());
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, bound));
    if (rs.rows.empty()) return std::optional<NationalView>();
    const db::Row& r = rs.rows.front();
    NationalView v{
        r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), 0, registry::MaskName(r.Text(8))};
    v.grade =
        registry::CurrentGrade(static_cast<int>(r.Int(5)), v.stage, v.status, r.Int(6), r.Int(7));
    return std::optional<NationalView>(std::move(v));
  });
}

Result<NationalView> NationalViewOf(db::Connection& c, const registry::Student& s) {
  const registry::Enrolment& e = s.enrolment;
  NEMIS_ASSIGN_OR_RETURN(auto school, c.Query(kSchool, {e.school_code}));
  NationalView v{e.province_code,           e.school_code, "", e.stage, e.status, e.grade,
                 registry::MaskName(s.name)};
  if (!school.rows.empty()) {
    v.school_name = school.rows[0].Text(0);
    v.grade =
        registry::CurrentGrade(e.grade, e.stage, e.status, e.grade_mark, school.rows[0].Int(1));
  }
  return v;
}

}  // namespace nemis::exchange
