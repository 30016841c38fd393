#include <algorithm>
#include <charconv>

#include "db/sql_builder.hpp"
#include "org/org_store.hpp"
#include "registry/quality/problem_records.hpp"
#include "registry/quality/problem_scope.hpp"
#include "registry/student_disclosure.hpp"
#include "registry/student_rows.hpp"

namespace nemis::registry::quality {
namespace {

constexpr int kMaxPage = 200;
constexpr std::string_view kPageColumns =
    "SELECT p.id, p.kind, p.state, p.resolution, p.resolved_by, p.resolved_at, p.details, "
    "p.first_seen, p.last_seen, p.score, p.case_id, p.student_id, p.school_code, p.other_id, "
    "p.other_school_code, p.version, p.decision_reason, p.decision_document "
    "FROM problem_record p WHERE 1 = 1";

Error BadCursor() { return Error::BadRequest("bad_cursor", "after 参数无效，请从第一页重新查询"); }

Result<std::optional<org::Scope>> SubtreeOf(db::Connection& c, const org::Scope& scope,
                                            const std::string& code) {
  if (code.empty()) return std::optional<org::Scope>();
  NEMIS_ASSIGN_OR_RETURN(auto inst, org::OrgStore::Load(c, code));
  if (!inst || !scope.Contains(*inst)) return Error::NotFound("机构 " + code + " 不存在");
  return std::optional<org::Scope>(org::Scope::Of(*inst));
}

ProblemRecordView ViewOf(const db::Row& r) {
  ProblemRecordView v;
  v.id = r.Int(0);
  v.kind = ParseProblemKind(r.Text(1)).value_or(ProblemKind::kSameNameBirth);
  v.state = r.Text(2);
  v.resolution = r.Text(3);
  v.resolved_by = r.Text(4);
  v.resolved_at = r.Text(5);
  v.details = r.Text(6);
  v.first_seen = r.Text(7);
  v.last_seen = r.Text(8);
  v.score = static_cast<int>(r.Int(9));
  v.case_id = r.OptInt(10);
  v.student.school_code = r.Text(12);
  if (!r.IsNull(13)) v.other = ProblemSide{r.Text(14), std::nullopt};
  v.version = r.Int(15);
  v.decision_reason = r.OptText(16).value_or("");
  v.decision_document = r.OptText(17).value_or("");
  return v;
}

// The students of the page the reader reaches, by id.
Result<std::map<int64_t, Student>> LoadStudents(db::Connection& c,
                                                const crypto::FieldCipher& cipher,
                                                const org::Scope& scope,
                                                const std::vector<int64_t>& ids) {
  std::map<int64_t, Student> out;
  if (ids.empty()) return out;
  std::string list;  // integers from the store: safe to write into the statement
  for (int64_t id : ids) list += (list.empty() ? "" : ",") + std::to_string(id);
  db::SqlBuilder sql("SELECT " + internal::StudentSelectList() + " FROM student s WHERE s.id IN (" +
                     list + ")");
  scope.AddFilter(sql, org::ScopedTable::kStudent, "s");
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  for (const auto& row : rs.rows) {
    NEMIS_ASSIGN_OR_RETURN(Student s, internal::StudentFromRow(row, cipher));
    out.emplace(s.id, std::move(s));
  }
  return out;
}

}  // namespace

Result<ProblemPage> ProblemRecords::List(const StudentViewer& viewer, const ProblemQuery& q) {
  const int limit = std::clamp(q.limit, 1, kMaxPage);
  int64_t after = 0;
  if (!q.after.empty()) {
    auto [end, ec] = std::from_chars(q.after.data(), q.after.data() + q.after.size(), after);
    if (ec != std::errc() || end != q.after.data() + q.after.size() || after < 0)
      return BadCursor();
  }
  std::map<int64_t, Student> students;
  std::vector<std::pair<int64_t, int64_t>> sides;  // (student, other) per item
  auto page = db_.Read<ProblemPage>([&](db::Connection& c) -> Result<ProblemPage> {
    NEMIS_ASSIGN_OR_RETURN(auto subtree, SubtreeOf(c, viewer.scope, q.org));
    const std::string kind = q.kind ? std::string(ProblemKindId(*q.kind)) : std::string();
    db::SqlBuilder sql(kPageColumns);
    AddProblemScope(sql, viewer.scope, Sides::kEither, "p");
    if (subtree) AddProblemScope(sql, *subtree, Sides::kEither, "p");
    if (!kind.empty()) sql.Add(" AND p.kind = $1", {kind});
    if (!q.state.empty()) sql.Add(" AND p.state = $1", {q.state});
    sql.Add(" AND p.id > $1", {after});
    sql.Add(" ORDER BY p.id LIMIT $1", {limit + 1});
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    ProblemPage out;
    std::vector<int64_t> ids;
    for (const auto& row : rs.rows) {
      if (static_cast<int>(out.items.size()) == limit) {
        out.next = std::to_string(out.items.back().id);
        break;
      }
      out.items.push_back(ViewOf(row));
      sides.emplace_back(row.Int(11), row.Int(13));
      ids.push_back(row.Int(11));
      if (!row.IsNull(13)) ids.push_back(row.Int(13));
    }
    NEMIS_ASSIGN_OR_RETURN(students, LoadStudents(c, cipher_, viewer.scope, ids));
    return out;
  });
  if (!page.ok()) return page;
  std::vector<Student> shown;  // masked and audited together, as one list read
  shown.reserve(students.size());
  for (auto& [id, s] : students) shown.push_back(std::move(s));
  internal::ShowTo(db_, clock_, viewer, shown);
  std::map<int64_t, const Student*> by_id;
  for (const Student& s : shown) by_id[s.id] = &s;
  for (size_t i = 0; i < page->items.size(); ++i) {
    auto fill = [&](ProblemSide& side, int64_t id) {
      if (auto it = by_id.find(id); it != by_id.end()) side.student = *it->second;
    };
    fill(page->items[i].student, sides[i].first);
    if (page->items[i].other) fill(*page->items[i].other, sides[i].second);
  }
  return page;
}

}  // namespace nemis::registry::quality
