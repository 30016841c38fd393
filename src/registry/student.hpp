// A student's registry record (学籍): the core JY/T 1002 person elements, two
// guardians, the registry flags and the current enrolment.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace nemis::registry {

struct Guardian {
  std::optional<std::string> name, relation, id_number, phone;
  bool empty() const { return !name && !relation && !id_number && !phone; }
};

struct Enrolment {
  int64_t school_id = 0;  // internal key of the school
  std::string school_code;
  std::string province_code;
  std::optional<std::string> city_code, county_code;
  std::string stage;  // codes::StageId
  int grade = 0;      // global scale: 小班 -2 ... 一年级 1 ... 高三 12, 大一 13
  std::string class_no;
  std::string entry_date;     // YYYY-MM
  std::string status = "01";  // 学生当前状态码, 01 在读
  /// The school's promotion count `grade` is as of: read from the store, the school's count
  /// now (grade is the grade now); written with the grade (registry/current_grade.hpp).
  int64_t grade_mark = 0;
};

/// A student's personal fields as stored: see personal_record.hpp.
struct SealedPersonal {
  std::string record;                   // the sealed personal fields, base64url
  std::string number_index;             // blind index of the student number
  std::optional<std::string> id_index;  // blind index of the document number, if any
  // Blind indexes of the guardians' ID numbers, for the duplicate scan (registry/quality/).
  std::optional<std::string> g1_index, g2_index;
  int id_check = 0;  // IdCheckFlags of the record, as stored in student.id_check
  bool empty() const { return record.empty(); }
};

/// How the registry showed a student's personal data to its reader (student_viewer.hpp).
enum class PersonalView : uint8_t {
  kWhole,            // the reader may see it, and the disclosure was audited (or is the node's)
  kMasked,           // the reader may not see it
  kMaskedUnaudited,  // the reader may, but the audit log refused the disclosure
};

struct Student {
  int64_t id = 0;  // internal; never leaves the node
  std::string student_number;
  char number_kind = 'G';              // 'G', 'J' or 'L'
  bool number_issued = false;          // issued by this node in the current transaction attempt
  std::optional<std::string> id_type;  // JY/T 身份证件类型码; absent when the student has none
  std::optional<std::string> id_number;
  std::string name;
  int gender = 0;
  std::string birth_date;  // YYYY-MM-DD
  std::string ethnicity;
  std::string nationality = "156";
  std::optional<std::string> overseas, hukou_type, category, entry_method, disability_type, address,
      phone;
  std::optional<int> boarding;
  int left_behind = 0, migrant_child = 0, orphan = 0, martyr_child = 0, in_regular_class = 0;
  Guardian guardian1, guardian2;
  Enrolment enrolment;
  int64_t version = 1;
  std::string created_at, updated_at;
  /// Filled by SealPersonal once the number is known (an import does it on its worker
  /// threads); empty: the store seals the record when it writes it.
  SealedPersonal sealed;
  PersonalView personal_view = PersonalView::kWhole;
};

}  // namespace nemis::registry
