#include "registry/student_lock.hpp"

#include "registry/personal_record.hpp"
#include "registry/student_rows.hpp"

namespace nemis::registry {

namespace {

constexpr std::string_view kSubjectPrefix = "student:";

Result<std::optional<Student>> LoadLocked(db::Connection& c, const crypto::FieldCipher& cipher,
                                          std::string_view where, const db::Param& key) {
  std::string sql = "SELECT " + internal::StudentSelectList() + " FROM student s WHERE " +
                    std::string(where) + " = $1";
  if (c.backend() == db::Backend::kPostgres) sql += " FOR UPDATE";
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, {key}));
  if (rs.empty()) return std::optional<Student>();
  NEMIS_ASSIGN_OR_RETURN(Student s, internal::StudentFromRow(rs.rows[0], cipher));
  return std::optional<Student>(std::move(s));
}

}  // namespace

std::string StudentSubject(const crypto::FieldCipher& cipher, std::string_view student_number) {
  return std::string(kSubjectPrefix) + NumberIndex(cipher, student_number);
}

Result<std::optional<Student>> LoadSubjectForUpdate(db::Connection& c,
                                                    const crypto::FieldCipher& cipher,
                                                    std::string_view subject) {
  if (!subject.starts_with(kSubjectPrefix)) return std::optional<Student>();
  const std::string index(subject.substr(kSubjectPrefix.size()));
  return LoadLocked(c, cipher, "s.number_index", index);
}

Result<std::optional<Student>> LoadStudentForUpdate(db::Connection& c,
                                                    const crypto::FieldCipher& cipher, int64_t id) {
  return LoadLocked(c, cipher, "s.id", id);
}

}  // namespace nemis::registry
