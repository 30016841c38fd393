#include "exchange/table_dump.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "db/sql_builder.hpp"
#include "org/org_replica.hpp"
#include "org/org_store.hpp"
#include "registry/status_change.hpp"
#include "registry/student_replica.hpp"
#include "registry/student_roster.hpp"

namespace nemis::exchange {
namespace {

constexpr int64_t kChunk = 1000;

using Row = std::vector<std::string>;

using registry::StudentField;

Row StudentHeader() {
  Row header;
  for (const auto& spec : registry::kStudentFields) header.emplace_back(spec.chinese);
  header.emplace_back("学生当前状态");
  return header;
}

// Every roster column, the school's name, type and county included: an import of the file
// into a store without the school registers it first.
Row StudentRow(const registry::Student& s, const org::Institution& school) {
  auto texts = registry::RosterTexts(s);
  texts[static_cast<size_t>(StudentField::kSchoolName)] = school.name;
  texts[static_cast<size_t>(StudentField::kSchoolType)] = school.school_type.value_or("");
  texts[static_cast<size_t>(StudentField::kSchoolDivision)] =
      school.county_code.value_or(school.parent_code);
  Row row(texts.begin(), texts.end());
  row.push_back(s.enrolment.status);
  return row;
}

// The schools of a dump, read once each.
class Schools {
 public:
  Result<const org::Institution*> Of(db::Connection& c, const std::string& code) {
    auto it = known_.find(code);
    if (it == known_.end()) {
      NEMIS_ASSIGN_OR_RETURN(auto school, org::OrgStore::Load(c, code));
      if (!school) return Error::Internal("学校 " + code + " 不在机构树中");
      it = known_.emplace(code, std::move(*school)).first;
    }
    return &it->second;
  }

 private:
  std::map<std::string, org::Institution> known_;
};

const Row& InstitutionHeader() {
  static const Row header = {"机构代码", "机构名称", "层级",     "上级机构代码", "省级代码",
                             "地市代码", "区县代码", "学校类别", "办学类型",     "举办者",
                             "城乡分类", "地址",     "经度",     "纬度",         "状态"};
  return header;
}

std::string Opt(const std::optional<std::string>& v) { return v.value_or(""); }

// 学籍异动 (JY/T 1002 中小学生学籍异动信息), codes as codes (异动类别: XJYDLB; 学生当前状态码).
const Row& ChangeHeader() {
  static const Row header = {"学籍号",       "姓名",           "异动类别",       "异动日期",
                             "异动原因",     "审批日期",       "审批文号",       "原学校标识码",
                             "现学校标识码", "原年级",         "现年级",         "原班级",
                             "现班级",       "异动前学生状态", "异动后学生状态", "登记时间"};
  return header;
}

Row ChangeRow(const registry::Student& s, const registry::StatusChange& c) {
  return {s.student_number,
          s.name,
          c.type,
          c.change_date,
          c.reason,
          Opt(c.approved_on),
          Opt(c.approval_ref),
          c.from_school,
          c.to_school,
          std::to_string(c.from_grade),
          std::to_string(c.to_grade),
          c.from_class,
          c.to_class,
          c.status_before,
          c.status_after,
          c.recorded_at};
}
std::string Number(const std::optional<double>& v) {
  if (!v) return "";
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", *v);
  return text;
}

Row InstitutionRow(const org::Institution& i) {
  return {i.code,
          i.name,
          std::string(org::OrgLevelId(i.level)),
          i.parent_code,
          Opt(i.province_code),
          Opt(i.city_code),
          Opt(i.county_code),
          Opt(i.category),
          Opt(i.school_type),
          Opt(i.sponsor),
          Opt(i.urban_rural),
          Opt(i.address),
          Number(i.longitude),
          Number(i.latitude),
          i.open ? "open" : "closed"};
}

void WriteCsvField(std::ostream& out, const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) {
    out << field;
    return;
  }
  out << '"';
  for (char ch : field) out << (ch == '"' ? "\"\"" : std::string(1, ch));
  out << '"';
}

class Writer {
 public:
  Writer(std::ostream& out, DumpFormat format, Row header)
      : out_(out), format_(format), header_(std::move(header)) {
    if (format_ == DumpFormat::kCsv) {
      out_ << "\xEF\xBB\xBF";  // UTF-8 byte-order mark
      Csv(header_);
    }
  }
  void Add(const Row& row) {
    ++rows_;
    if (format_ == DumpFormat::kCsv) return Csv(row);
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (size_t i = 0; i < header_.size(); ++i) j[header_[i]] = row[i];
    out_ << j.dump() << '\n';
  }
  int64_t rows() const { return rows_; }

 private:
  void Csv(const Row& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out_ << ',';
      WriteCsvField(out_, row[i]);
    }
    out_ << "\r\n";
  }
  std::ostream& out_;
  DumpFormat format_;
  Row header_;
  int64_t rows_ = 0;
};

// The ids of `table` in scope after `after`, at most kChunk, in id order (of the students
// for their status changes).
Result<std::vector<int64_t>> NextIds(db::Connection& c, DumpTable table, const org::Scope& scope,
                                     int64_t after) {
  const bool students = table != DumpTable::kInstitutions;
  db::SqlBuilder sql(students ? "SELECT s.id FROM student s WHERE s.id > $1"
                              : "SELECT o.id FROM org o WHERE o.level > 0 AND o.id > $1",
                     {after});
  scope.AddFilter(sql, students ? org::ScopedTable::kStudent : org::ScopedTable::kOrg,
                  students ? "s" : "o");
  sql.Add(std::string(" ORDER BY ") + (students ? "s.id" : "o.id") + " LIMIT $1", {kChunk});
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  std::vector<int64_t> ids;
  ids.reserve(rs.rows.size());
  for (const db::Row& r : rs.rows) ids.push_back(r.Int(0));
  return ids;
}

Row HeaderOf(DumpTable table) {
  switch (table) {
    case DumpTable::kStudents:
      return StudentHeader();
    case DumpTable::kInstitutions:
      return InstitutionHeader();
    case DumpTable::kStatusChanges:
      return ChangeHeader();
  }
  return {};
}

// The rows of one chunk of ids.
Status AddChunk(db::Connection& c, const crypto::FieldCipher& cipher, DumpTable table,
                const std::vector<int64_t>& ids, Schools& schools, Writer& writer) {
  if (table == DumpTable::kInstitutions) {
    NEMIS_ASSIGN_OR_RETURN(auto rows, org::LoadInstitutionsForExchange(c, ids));
    for (const auto& r : rows) writer.Add(InstitutionRow(r.institution));
    return {};
  }
  NEMIS_ASSIGN_OR_RETURN(auto students, registry::LoadStudentsForExchange(c, cipher, ids));
  for (const auto& s : students) {
    if (table == DumpTable::kStudents) {
      NEMIS_ASSIGN_OR_RETURN(const org::Institution* school,
                             schools.Of(c, s.enrolment.school_code));
      writer.Add(StudentRow(s, *school));
      continue;
    }
    NEMIS_ASSIGN_OR_RETURN(auto changes, registry::LoadStatusChanges(c, s.id));
    for (const auto& change : changes) writer.Add(ChangeRow(s, change));
  }
  return {};
}

}  // namespace

Result<DumpTable> ParseDumpTable(std::string_view name) {
  if (name == "students") return DumpTable::kStudents;
  if (name == "institutions") return DumpTable::kInstitutions;
  if (name == "changes") return DumpTable::kStatusChanges;
  return Error::BadRequest("bad_parameter", "表须为 students、institutions 或 changes");
}

Result<DumpFormat> ParseDumpFormat(std::string_view name) {
  if (name == "csv") return DumpFormat::kCsv;
  if (name == "json") return DumpFormat::kJsonLines;
  return Error::BadRequest("bad_parameter", "格式须为 csv 或 json");
}

Result<int64_t> DumpRows(db::Database& db, const crypto::FieldCipher& cipher, DumpTable table,
                         DumpFormat format, const org::Scope& scope, std::ostream& out) {
  Writer writer(out, format, HeaderOf(table));
  Schools schools;
  for (int64_t after = 0;;) {
    // One read per chunk: a long export never holds a read transaction open for long.
    NEMIS_TRY(db.WithReader([&](db::Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(auto ids, NextIds(c, table, scope, after));
      if (ids.empty()) {
        after = -1;
        return {};
      }
      after = ids.back();
      return AddChunk(c, cipher, table, ids, schools, writer);
    }));
    if (after < 0) break;
  }
  if (!out) return Error::Internal("写入导出文件失败");
  return writer.rows();
}

}  // namespace nemis::exchange
