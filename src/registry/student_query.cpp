// Listing a school's students by grade and class, and searching a subtree by
// name or number, with keyset pagination.
#include <algorithm>
#include <map>

#include "base/text.hpp"
#include "codes/id_number.hpp"
#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "registry/current_grade.hpp"
#include "registry/cursor.hpp"
#include "registry/personal_record.hpp"
#include "registry/student_flags.hpp"
#include "registry/student_rows.hpp"
#include "registry/student_store.hpp"

namespace nemis::registry {
namespace {

constexpr int kMaxPage = 500;
// Above every code point: "name < prefix + kTop" selects the names that start with prefix.
constexpr std::string_view kTop = "\xF4\x8F\xBF\xBF";

Error BadCursor() { return Error::BadRequest("bad_cursor", "after 参数不是有效的分页游标"); }

Result<StudentPage> MakePage(const db::ResultSet& rs, const crypto::FieldCipher& cipher, int limit,
                             const std::function<std::string(const Student&)>& key) {
  StudentPage page;
  for (const auto& row : rs.rows) {
    NEMIS_ASSIGN_OR_RETURN(Student s, internal::StudentFromRow(row, cipher));
    page.items.push_back(std::move(s));
  }
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(static_cast<size_t>(limit));
    page.next = key(page.items.back());
  }
  return page;
}

bool LooksLikeStudentNumber(std::string_view t) {
  return t.size() == 19 && (t[0] == 'G' || t[0] == 'J' || t[0] == 'L');
}

bool LooksLikeIdNumber(std::string_view t) {
  if (t.size() != 18) return false;
  return std::all_of(t.begin(), t.end() - 1, [](char c) { return c >= '0' && c <= '9'; }) &&
         ((t.back() >= '0' && t.back() <= '9') || t.back() == 'X');
}

}  // namespace

Result<StudentPage> StudentStore::List(const StudentViewer& viewer, const StudentListQuery& q) {
  int limit = std::clamp(q.limit, 1, kMaxPage);
  std::optional<std::vector<std::string>> cursor;
  if (!q.after.empty() && !(cursor = DecodeCursor(q.after, 3))) return BadCursor();
  std::optional<int64_t> after_grade, after_id;
  if (cursor && (!(after_grade = CursorInt((*cursor)[0])) || !(after_id = CursorInt((*cursor)[2]))))
    return BadCursor();
  std::vector<std::string_view> flag_conditions;
  for (const std::string& flag : q.flags) {
    auto condition = FlagCondition(flag);
    if (!condition)
      return Error::BadRequest("bad_parameter", "flags 中的 " + flag + " 不是学籍标记；可用：" +
                                                    std::string(FlagNames()));
    flag_conditions.push_back(*condition);
  }
  auto page = db_.Read<StudentPage>([&](db::Connection& c) -> Result<StudentPage> {
    NEMIS_ASSIGN_OR_RETURN(auto school, org::OrgStore::Load(c, q.school_code));
    if (!school || school->level != org::OrgLevel::kSchool || !viewer.scope.Contains(*school))
      return Error::NotFound("学校 " + q.school_code + " 不存在");
    db::SqlBuilder sql(
        "SELECT " + internal::StudentSelectList() + " FROM student s WHERE s.school_id = $1",
        {school->id});
    // The grade now (current_grade.hpp); one school, so its count is read once.
    const std::string grade = CurrentGradeSql(SchoolPromotionsSql());
    if (q.grade) sql.Add(" AND " + grade + " = $1", {*q.grade});
    if (q.class_no) sql.Add(" AND s.class_no = $1", {*q.class_no});
    if (q.stage) sql.Add(" AND s.stage = $1", {*q.stage});
    if (q.status) sql.Add(" AND s.status = $1", {*q.status});
    if (q.gender) sql.Add(" AND s.gender = $1", {*q.gender});
    for (std::string_view condition : flag_conditions) sql.Add(" AND " + std::string(condition));
    if (cursor)
      sql.Add(" AND (" + grade + ", s.class_no, s.id) > ($1, $2, $3)",
              {*after_grade, (*cursor)[1], *after_id});
    sql.Add(" ORDER BY " + grade + ", s.class_no, s.id LIMIT $1", {limit + 1});
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    return MakePage(rs, cipher_, limit, [](const Student& s) {
      return EncodeCursor(
          {std::to_string(s.enrolment.grade), s.enrolment.class_no, std::to_string(s.id)});
    });
  });
  if (page.ok()) ShowTo(viewer, page->items);
  return page;
}

Result<std::vector<Student>> StudentStore::ListByIds(const StudentViewer& viewer,
                                                     const std::vector<int64_t>& ids) {
  if (ids.size() > static_cast<size_t>(kMaxPage))
    return Error::BadRequest("bad_parameter", "一次最多列出 500 名学生");
  if (ids.empty()) return std::vector<Student>{};
  auto found =
      db_.Read<std::vector<Student>>([&](db::Connection& c) -> Result<std::vector<Student>> {
        std::vector<db::Param> params(ids.begin(), ids.end());
        std::string placeholders;
        for (size_t i = 1; i <= ids.size(); ++i)
          placeholders.append(i == 1 ? "$" : ", $").append(std::to_string(i));
        NEMIS_ASSIGN_OR_RETURN(auto rs,
                               c.Query("SELECT " + internal::StudentSelectList() +
                                           " FROM student s WHERE s.id IN (" + placeholders + ")",
                                       params));
        std::map<int64_t, Student> by_id;
        std::map<std::string, bool> school_in_scope;
        for (const auto& row : rs.rows) {
          NEMIS_ASSIGN_OR_RETURN(Student s, internal::StudentFromRow(row, cipher_));
          auto [known, added] = school_in_scope.try_emplace(s.enrolment.school_code, false);
          if (added) {
            NEMIS_ASSIGN_OR_RETURN(auto school, org::OrgStore::Load(c, s.enrolment.school_code));
            known->second = school && viewer.scope.Contains(*school);
          }
          if (known->second) by_id.emplace(s.id, std::move(s));
        }
        std::vector<Student> out;
        out.reserve(by_id.size());
        for (int64_t id : ids)
          if (auto it = by_id.find(id); it != by_id.end()) out.push_back(std::move(it->second));
        return out;
      });
  if (found.ok()) ShowTo(viewer, *found);
  return found;
}

Result<StudentPage> StudentStore::Search(const StudentViewer& viewer, const StudentSearchQuery& q) {
  int limit = std::clamp(q.limit, 1, kMaxPage);
  std::string text(TrimSpaces(q.text));
  if (text.empty()) return Error::Invalid({{"q", "required", "请输入姓名、学籍号或身份证件号"}});
  std::optional<std::vector<std::string>> cursor;
  if (!q.after.empty() && !(cursor = DecodeCursor(q.after, 2))) return BadCursor();
  std::optional<int64_t> after_id;
  if (cursor && !(after_id = CursorInt((*cursor)[1]))) return BadCursor();
  std::string upper = text;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  std::string id_number = codes::NormalizeIdNumber(text);
  std::string upper_bound = text + std::string(kTop);
  // A whole number is looked up by its blind index (SqlBuilder borrows: keep it here).
  std::string exact_index = LooksLikeStudentNumber(upper)  ? NumberIndex(cipher_, upper)
                            : LooksLikeIdNumber(id_number) ? DocumentIndex(cipher_, id_number)
                                                           : std::string();
  auto page = db_.Read<StudentPage>([&](db::Connection& c) -> Result<StudentPage> {
    std::string coll(db::BytewiseCollation(c.backend()));
    db::SqlBuilder sql("SELECT " + internal::StudentSelectList() + " FROM student s WHERE ");
    if (LooksLikeStudentNumber(upper))
      sql.Add("s.number_index = $1", {exact_index});
    else if (LooksLikeIdNumber(id_number))
      sql.Add("s.id_type = '1' AND s.id_index = $1", {exact_index});
    else
      sql.Add("s.name" + coll + " >= $1 AND s.name" + coll + " < $2", {text, upper_bound});
    viewer.scope.AddFilter(sql, org::ScopedTable::kStudent, "s");
    if (cursor) sql.Add(" AND (s.name" + coll + ", s.id) > ($1, $2)", {(*cursor)[0], *after_id});
    sql.Add(" ORDER BY s.name" + coll + ", s.id LIMIT $1", {limit + 1});
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    return MakePage(rs, cipher_, limit, [](const Student& s) {
      return EncodeCursor({s.name, std::to_string(s.id)});
    });
  });
  if (page.ok()) ShowTo(viewer, page->items);
  return page;
}

}  // namespace nemis::registry
