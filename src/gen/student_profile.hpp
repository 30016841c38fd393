// Internal to gen: what the student writer precomputes per school (grades, classes,
// the fixed tail of every row) so that writing a row only draws and copies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codes/stage.hpp"
#include "gen/random.hpp"
#include "gen/schools.hpp"

namespace nemis::gen {

struct GradeSlot {
  int grade;
  codes::Stage stage;
  uint64_t students;
  uint64_t class_size;  // students per class, so classes come out even
  std::string_view stage_name;
  std::string entry;          // 入学年月, e.g. 2023-09
  std::string_view category;  // 学生类别 (special schools choose by disability)
};

enum class Locality { kUrban, kTown, kRural };

struct SchoolProfile {
  const GenSchool* school;
  std::vector<GradeSlot> grades;
  std::string tail;  // ",学校名称,办学类型,学校所在区划\n"
  uint32_t place;    // index of the school's place; kAnyPlace for higher education
  Locality locality;
  bool higher;   // students come from the whole province
  char special;  // disability type of a 51x school: '1', '2', '5', or '0' for mixed; else 0
};

inline constexpr uint32_t kAnyPlace = ~uint32_t{0};

/// `place` is the index of the school's place among ProvincePlaces, or kAnyPlace.
SchoolProfile MakeSchoolProfile(const GenSchool& school, int school_year, uint32_t place, Rng& rng);

}  // namespace nemis::gen
