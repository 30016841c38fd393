// Mapping between student rows and Student values (internal to the registry).
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "db/database.hpp"
#include "registry/student.hpp"

namespace nemis::registry::internal {

/// Every column of the student table, in the order of StudentParams and StudentFromRow.
inline constexpr std::array<std::string_view, 45> kStudentColumnNames = {
    "id", "student_number", "number_kind", "id_type", "id_number", "name", "gender", "birth_date",
    "ethnicity", "nationality", "overseas", "hukou_type", "category", "boarding", "entry_method",
    "left_behind", "migrant_child", "orphan", "martyr_child", "disability_type", "in_regular_class",
    "address", "phone", "g1_name", "g1_relation", "g1_id_number", "g1_phone", "g2_name", "g2_relation",
    "g2_id_number", "g2_phone", "school_id", "province_code", "city_code", "county_code", "school_code",
    "stage", "grade", "class_no", "entry_date", "status", "import_id", "version", "created_at", "updated_at"};
inline constexpr size_t kStudentColumnCount = kStudentColumnNames.size();

/// "s.id, s.student_number, ..." for SELECT.
const std::string& StudentSelectList();
/// "INSERT INTO student (...) VALUES ($1, ..., $45)".
const std::string& StudentInsertSql();

/// Parameters for inserting `s` (borrowing its strings); `kind` storage must outlive them.
struct StudentParamStorage {
  std::string kind;
};
void StudentParams(const Student& s, int64_t import_id, StudentParamStorage& storage,
                   std::array<db::Param, kStudentColumnCount>& out);

Student StudentFromRow(const db::Row& row);

}  // namespace nemis::registry::internal
