// Mapping between student rows and Student values (internal to the registry).
#pragma once

#include <array>
#include <bitset>
#include <string>
#include <string_view>

#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "registry/student.hpp"

namespace nemis::registry::internal {

/// Every column of the student table, in the order of StudentParams and StudentFromRow.
inline constexpr std::array<std::string_view, 44> kStudentColumnNames = {
    "id",           "number_index",    "number_kind",
    "id_type",      "id_index",        "name",
    "gender",       "birth_date",      "ethnicity",
    "nationality",  "overseas",        "hukou_type",
    "category",     "boarding",        "entry_method",
    "left_behind",  "migrant_child",   "orphan",
    "martyr_child", "disability_type", "in_regular_class",
    "g1_name",      "g1_relation",     "g2_name",
    "g2_relation",  "school_id",       "province_code",
    "city_code",    "county_code",     "school_code",
    "stage",        "grade",           "class_no",
    "entry_date",   "status",          "import_id",
    "version",      "created_at",      "updated_at",
    "personal",     "g1_index",        "g2_index",
    "id_check",     "grade_mark"};
inline constexpr size_t kStudentColumnCount = kStudentColumnNames.size();

/// "s.id, s.number_index, ..." for SELECT, then the school's promotion count (the grade read
/// is the grade now: current_grade.hpp).
const std::string& StudentSelectList();
/// "INSERT INTO student (...) VALUES ($1, ..., $40)".
const std::string& StudentInsertSql();

/// "UPDATE student SET number_index = $2, ... WHERE id = $1": every column replaced, in
/// StudentParams' order (id first).
const std::string& StudentReplaceSql();

/// Parameters for inserting `s` (borrowing its strings, its sealed personal data
/// included: SealPersonal first); `storage` must outlive them.
struct StudentParamStorage {
  std::string kind;
};
void StudentParams(const Student& s, int64_t import_id, StudentParamStorage& storage,
                   std::array<db::Param, kStudentColumnCount>& out);

/// Writes the whole row of `s` (sealed first): a new row, or every column of row s.id replaced.
Status WriteStudentRow(db::Connection& c, const Student& s, bool insert);

/// "id, number_index, ...": every column, in kStudentColumnNames' order, for reading a row
/// as it is stored (no current grade), to compare with what would be written.
const std::string& StudentStoredColumns();

/// Writes over row s.id (sealed first) only the columns whose value differs from `stored`
/// (the row as StudentStoredColumns reads it): the same row as WriteStudentRow's, without
/// rewriting the index entries of columns that did not change, which on a large table cost
/// most of an update (a changed class: one index of six). Nothing when no column differs.
Status UpdateStudentRow(db::Connection& c, const Student& s, const db::Row& stored);

/// The student of a row, its personal data opened with `cipher`.
Result<Student> StudentFromRow(const db::Row& row, const crypto::FieldCipher& cipher);

}  // namespace nemis::registry::internal
