// The statistics projection of the student registry: one slot per student id, each column
// an array of small integers (texts through a CodeDictionary), about 22 bytes a student.
// What a count groups or filters by is here; nothing personal is (no name, number or
// document): the grade as stored with its school's promotion mark, so the grade now is
// derived as the registry derives it (registry/current_grade.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "stats/code_dictionary.hpp"

namespace nemis::stats {

/// One student as the projection reads it from the store.
struct StudentFacts {
  int64_t id = 0;
  int64_t school_id = 0;
  std::string stage;
  int64_t grade = 0;
  int64_t grade_mark = 0;
  std::string class_no;
  int64_t gender = 0;
  std::string ethnicity;
  int64_t left_behind = 0;  // 留守儿童: 0 no, 1 one parent away, 2 both
  bool migrant_child = false, orphan = false, martyr_child = false, in_regular_class = false;
  std::optional<int64_t> boarding;
  std::optional<std::string> disability_type, hukou_type;
  std::string status;
  std::string birth_date;  // YYYY-MM-DD
  std::string entry_date;  // YYYY-MM
};

/// Bits of StudentColumns::flags.
enum StudentFlag : uint8_t {
  kMigrantChild = 1,
  kOrphan = 2,
  kMartyrChild = 4,
  kInRegularClass = 8,
};

/// Months since year 0 of "YYYY-MM..." (0 when it does not start so).
uint16_t MonthNumber(std::string_view date);

struct StudentColumns {
  /// Sets the slot of `facts.id`; an error if a dictionary is full (a column with more
  /// distinct texts than its integer type holds) or a value is out of the column's range.
  Status Put(const StudentFacts& facts);
  /// Whether the slot holds a student.
  bool Has(int64_t id) const {
    return id >= 0 && static_cast<size_t>(id) < school.size() && school[static_cast<size_t>(id)];
  }
  /// Makes room for ids below `slots` (the store's largest id + 1, before a load).
  void Reserve(size_t slots);
  /// Slots (ids) below this may hold a student.
  size_t Slots() const { return school.size(); }
  int64_t Count() const { return count; }
  size_t MemoryBytes() const;

  std::vector<uint32_t> school;  // org id; 0: no student has this id
  std::vector<int8_t> grade;     // as stored
  std::vector<uint16_t> grade_mark;
  std::vector<uint8_t> stage, gender, ethnicity, status, hukou_type, disability_type, flags;
  std::vector<uint8_t> left_behind;  // the code (0, 1, 2)
  std::vector<uint8_t> boarding;     // 0: NULL; else the code (就读方式, 1 or 2) + 1
  std::vector<uint16_t> class_no;
  std::vector<uint16_t> birth_month, entry_month;  // MonthNumber

  CodeDictionary stages{255}, ethnicities{255}, statuses{255}, hukou_types{255},
      disability_types{255}, classes{65535};
  int64_t count = 0;  // slots holding a student

 private:
  void Grow(size_t slots);
};

}  // namespace nemis::stats
