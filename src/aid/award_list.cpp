#include "aid/award_list.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "aid/award_fields.hpp"
#include "aid/award_list_file.hpp"
#include "codes/stage.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "registry/personal_record.hpp"
#include "registry/student_replica.hpp"

namespace nemis::aid {
namespace {

using registry::Student;

constexpr size_t kChunk = 500;

using AwardKey = std::tuple<int64_t, std::string, int>;  // student, programme, school year

struct HeldAward {
  int64_t id = 0;
  std::string status;
  int64_t amount_fen = 0, school_id = 0;
};

// What a row will do to the store.
struct Write {
  const ListedRow* row;
  const Student* student;
  const HeldAward* held;  // null: a new award
};

// The students of `numbers` in scope, by number, personal data opened.
Result<std::map<std::string, Student>> FindStudents(db::Connection& c,
                                                    const crypto::FieldCipher& cipher,
                                                    const org::Scope& scope,
                                                    std::span<const std::string> numbers) {
  std::map<std::string, Student> found;
  for (size_t at = 0; at < numbers.size(); at += kChunk) {
    const auto chunk = numbers.subspan(at, std::min(kChunk, numbers.size() - at));
    std::vector<std::string> indexes;
    for (const std::string& n : chunk) indexes.push_back(registry::NumberIndex(cipher, n));
    db::SqlBuilder sql("SELECT s.id FROM student s WHERE s.number_index IN (");
    for (size_t i = 0; i < indexes.size(); ++i) sql.Add(i ? ", $1" : "$1", {indexes[i]});
    sql.Add(")");
    scope.AddFilter(sql, org::ScopedTable::kStudent, "s");
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    std::vector<int64_t> ids;
    for (const db::Row& r : rs.rows) ids.push_back(r.Int(0));
    NEMIS_ASSIGN_OR_RETURN(auto students, registry::LoadStudentsForExchange(c, cipher, ids));
    for (Student& s : students) found.emplace(s.student_number, std::move(s));
  }
  return found;
}

// The awards already held for these students.
Result<std::map<AwardKey, HeldAward>> HeldAwards(db::Connection& c,
                                                 std::span<const int64_t> student_ids) {
  std::map<AwardKey, HeldAward> held;
  for (size_t at = 0; at < student_ids.size(); at += kChunk) {
    const auto chunk = student_ids.subspan(at, std::min(kChunk, student_ids.size() - at));
    db::SqlBuilder sql(
        "SELECT id, student_id, programme, school_year, status, amount_fen, school_id "
        "FROM aid_award WHERE student_id IN (");
    for (size_t i = 0; i < chunk.size(); ++i) sql.Add(i ? ", $1" : "$1", {chunk[i]});
    sql.Add(")");
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    for (const db::Row& r : rs.rows)
      held[{r.Int(1), r.Text(2), static_cast<int>(r.Int(3))}] = {r.Int(0), r.Text(4), r.Int(5),
                                                                 r.Int(6)};
  }
  return held;
}

bool InSchool(const Student& s) { return s.enrolment.status == "01" || s.enrolment.status == "05"; }

// Whether the registry lets `row` award `student`; each reason it does not goes to `errors`.
bool Awardable(const ListedRow& row, const Student& student, AwardErrors& errors) {
  const std::string programme = "“" + std::string(row.programme->name) + "”";
  bool ok = true;
  auto fail = [&](std::string column, std::string message) {
    errors.Add(row.line, std::move(column), std::move(message));
    ok = false;
  };
  if (student.name != row.name) fail("姓名", "与该学籍号学生的姓名不符");
  if (!InSchool(student))
    fail("学籍号", "该生不在校（学籍状态 " + student.enrolment.status + "），不能列入资助名单");
  if (student.id_type != "1" || !student.id_number)
    fail("学籍号", "该生没有居民身份证号：资助资金发放到以身份证号开立的账户，不能列入");
  const auto stage = codes::ParseStage(student.enrolment.stage);
  const auto ceiling = stage ? CeilingFen(*row.programme, *stage) : std::nullopt;
  if (!ceiling)
    fail("资助项目", programme + "不适用于" +
                         std::string(stage ? codes::StageName(*stage) : "该学段") + "学生");
  else if (*ceiling > 0 && row.amount_fen > *ceiling)
    fail("金额", "超过" + programme + "每生每学年的国家标准上限 " + FormatYuan(*ceiling) + " 元");
  return ok;
}

// Whether an award already held lets the row replace it.
bool Replaceable(const ListedRow& row, const HeldAward& held, AwardErrors& errors) {
  const std::string what =
      std::to_string(row.school_year) + " 学年的“" + std::string(row.programme->name) + "”";
  if (held.status == "sent")
    errors.Add(row.line, "", "该生 " + what + "已报送财政、等待发放结果，不能修改");
  else if (held.status == "paid")
    errors.Add(row.line, "", "该生 " + what + "已发放，不能修改");
  return held.status == "listed" || held.status == "refused";
}

constexpr std::string_view kInsert =
    "INSERT INTO aid_award (payment_id, student_id, school_id, school_code, province_code, "
    "city_code, county_code, programme, school_year, amount_fen, listed_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
// A listed award takes the new amount and school; a refused one becomes a new payment.
constexpr std::string_view kReplace =
    "UPDATE aid_award SET payment_id = CASE WHEN status = 'refused' THEN $1 ELSE payment_id END, "
    "status = 'listed', reference = '', reason = '', sent_at = NULL, settled_at = NULL, "
    "school_id = $2, school_code = $3, province_code = $4, city_code = $5, county_code = $6, "
    "amount_fen = $7, listed_at = $8 WHERE id = $9 AND status IN ('listed', 'refused')";

Status Keep(db::Connection& c, const Write& w, const std::string& now) {
  const std::string payment_id = crypto::ToHex(crypto::RandomBytes(16));
  const registry::Enrolment& e = w.student->enrolment;
  if (!w.held) {
    NEMIS_TRY(c.Query(kInsert, {payment_id, w.student->id, e.school_id, e.school_code,
                                e.province_code, e.city_code, e.county_code, w.row->programme->code,
                                w.row->school_year, w.row->amount_fen, now}));
  } else {
    NEMIS_TRY(c.Query(kReplace, {payment_id, e.school_id, e.school_code, e.province_code,
                                 e.city_code, e.county_code, w.row->amount_fen, now, w.held->id}));
  }
  return {};
}

bool Unchanged(const Write& w) {
  return w.held && w.held->status == "listed" && w.held->amount_fen == w.row->amount_fen &&
         w.held->school_id == w.student->enrolment.school_id;
}

}  // namespace

Result<AwardListReport> KeepAwardList(db::Database& db, const crypto::FieldCipher& cipher,
                                      const org::Scope& scope, const std::string& path,
                                      const AwardListOptions& options) {
  AwardListReport report;
  AwardErrors file_errors(options.max_errors);
  NEMIS_ASSIGN_OR_RETURN(const std::vector<ListedRow> rows,
                         ReadAwardListFile(path, options, file_errors, report.rows));
  std::vector<std::string> numbers;
  numbers.reserve(rows.size());
  for (const ListedRow& r : rows) numbers.push_back(r.number);
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());

  // Checked and kept in one transaction: an award sent to finance meanwhile is not replaced.
  NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
    AwardErrors errors = file_errors;
    report.added = report.replaced = report.unchanged = 0;
    NEMIS_ASSIGN_OR_RETURN(auto students, FindStudents(c, cipher, scope, numbers));
    std::vector<int64_t> ids;
    ids.reserve(students.size());
    for (const auto& [number, s] : students) ids.push_back(s.id);
    NEMIS_ASSIGN_OR_RETURN(auto held, HeldAwards(c, ids));
    std::vector<Write> writes;
    for (const ListedRow& row : rows) {
      auto s = students.find(row.number);
      if (s == students.end()) {
        errors.Add(row.line, "学籍号", "没有这个学籍号的学生，或该生不在您的管辖范围内");
        continue;
      }
      if (!Awardable(row, s->second, errors)) continue;
      auto h = held.find({s->second.id, std::string(row.programme->code), row.school_year});
      if (h != held.end() && !Replaceable(row, h->second, errors)) continue;
      writes.push_back({&row, &s->second, h == held.end() ? nullptr : &h->second});
    }
    if (!errors.empty()) {
      errors.Into(report);
      return {};  // nothing written
    }
    for (const Write& w : writes) {
      if (Unchanged(w)) {
        ++report.unchanged;
        continue;
      }
      NEMIS_TRY(Keep(c, w, options.now));
      ++(w.held ? report.replaced : report.added);
    }
    return {};
  }));
  return report;
}

}  // namespace nemis::aid
