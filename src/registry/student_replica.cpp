#include "registry/student_replica.hpp"

#include <string>

#include "db/change_log.hpp"
#include "registry/personal_record.hpp"
#include "registry/student_rows.hpp"

namespace nemis::registry {
namespace {

// Ids per SELECT: bounded so that a statement stays small on both back ends.
constexpr size_t kIdsPerQuery = 500;

constexpr std::string_view kSchoolByCode = "SELECT id FROM org WHERE code = $1 AND level = 4";
constexpr std::string_view kHolderOfNumber =
    "SELECT id, province_code, version FROM student WHERE number_index = $1";
constexpr std::string_view kHolderOfDocument =
    "SELECT id FROM student WHERE id_type = $1 AND id_index = $2";

std::string SelectIdsSql(size_t n) {
  std::string sql = "SELECT " + internal::StudentSelectList() + " FROM student s WHERE s.id IN (";
  for (size_t i = 1; i <= n; ++i) sql += (i > 1 ? ", $" : "$") + std::to_string(i);
  return sql + ") ORDER BY s.id";
}

Status Store(db::Connection& c, const Student& s, bool insert) {
  internal::StudentParamStorage storage;
  std::array<db::Param, internal::kStudentColumnCount> params;
  internal::StudentParams(s, 0, storage, params);
  NEMIS_TRY(c.Query(insert ? internal::StudentInsertSql() : internal::StudentReplaceSql(), params));
  return {};
}

}  // namespace

Result<std::vector<Student>> LoadStudentsForExchange(db::Connection& c,
                                                     const crypto::FieldCipher& cipher,
                                                     std::span<const int64_t> ids) {
  std::vector<Student> out;
  out.reserve(ids.size());
  for (size_t start = 0; start < ids.size(); start += kIdsPerQuery) {
    const size_t n = std::min(kIdsPerQuery, ids.size() - start);
    std::vector<db::Param> params(ids.begin() + static_cast<ptrdiff_t>(start),
                                  ids.begin() + static_cast<ptrdiff_t>(start + n));
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(SelectIdsSql(n), params));
    for (const db::Row& row : rs.rows) {
      NEMIS_ASSIGN_OR_RETURN(Student s, internal::StudentFromRow(row, cipher));
      out.push_back(std::move(s));
    }
  }
  return out;
}

Result<ReplicaOutcome> WriteReplicaStudent(db::Connection& c, const crypto::FieldCipher& cipher,
                                           Student s, std::string_view source_province,
                                           std::string_view now) {
  Enrolment& e = s.enrolment;
  if (e.province_code != source_province) {
    return Error::Refused("record_outside_source",
                          "学校 " + e.school_code + " 的学生不属于发送节点所在的省份");
  }
  NEMIS_ASSIGN_OR_RETURN(auto school, c.Query(kSchoolByCode, {e.school_code}));
  if (school.rows.empty()) {
    return Error::Refused("unknown_school", "学校 " + e.school_code + " 尚未同步到本节点");
  }
  e.school_id = school.rows.front().Int(0);
  SealPersonal(cipher, s);
  NEMIS_ASSIGN_OR_RETURN(auto held, c.Query(kHolderOfNumber, {s.sealed.number_index}));
  s.id = 0;
  if (!held.rows.empty()) {
    const db::Row& row = held.rows.front();
    if (row.Text(1) != source_province) {
      return ReplicaOutcome{ReplicaWrite::kNumberHeldElsewhere, row.Int(0)};
    }
    s.id = row.Int(0);
    s.version = row.Int(2) + 1;
  }
  if (s.id_type && s.sealed.id_index) {
    NEMIS_ASSIGN_OR_RETURN(auto doc, c.Query(kHolderOfDocument, {s.id_type, s.sealed.id_index}));
    if (!doc.rows.empty() && doc.rows.front().Int(0) != s.id) {
      return ReplicaOutcome{ReplicaWrite::kDocumentHeldElsewhere, doc.rows.front().Int(0)};
    }
  }
  const bool insert = s.id == 0;
  if (insert) {
    NEMIS_ASSIGN_OR_RETURN(auto ids, db::AllocateIds(c, "student", 1));
    s.id = ids.front();
    s.version = 1;
  }
  NEMIS_TRY(Store(c, s, insert));
  const int64_t ids[] = {s.id};
  NEMIS_TRY(db::AppendChanges(c, "student", insert ? db::ChangeOp::kInsert : db::ChangeOp::kUpdate,
                              ids, now));
  return ReplicaOutcome{};
}

}  // namespace nemis::registry
