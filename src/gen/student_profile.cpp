#include "gen/student_profile.hpp"

#include <algorithm>

namespace nemis::gen {
namespace {

using codes::Stage;

constexpr uint64_t kClassSize = 45;

int FirstGrade(Stage stage) {
  switch (stage) {
    case Stage::kPreschool:
      return -2;
    case Stage::kPrimary:
      return 1;
    case Stage::kJunior:
      return 7;
    case Stage::kSenior:
    case Stage::kVocational:
      return 10;
    case Stage::kHigher:
      return 13;
  }
  return 1;
}

// The grades a school of `type` teaches in `stage`. Universities run four years (a few
// five-year programmes), 专科 and 高职 three.
int LastGrade(std::string_view type, Stage stage) {
  switch (stage) {
    case Stage::kPreschool:
      return 0;
    case Stage::kPrimary:
      return 6;
    case Stage::kJunior:
      return 9;
    case Stage::kSenior:
    case Stage::kVocational:
      return 12;
    case Stage::kHigher:
      return type == "411" ? 17 : type == "414" || type == "415" ? 15 : 16;
  }
  return 6;
}

std::string_view Category(std::string_view type, Stage stage) {
  switch (stage) {
    case Stage::kPreschool:
      return "11100";
    case Stage::kPrimary:
      return "21100";
    case Stage::kJunior:
      return "31100";
    case Stage::kSenior:
      return "32100";
    case Stage::kVocational:
      return "36100";
    case Stage::kHigher:
      return type == "414" || type == "415" ? "41200" : "41100";
  }
  return "";
}

Locality LocalityOf(std::string_view urban_rural) {
  if (urban_rural.substr(0, 2) == "11") return Locality::kUrban;
  return urban_rural[0] == '1' ? Locality::kTown : Locality::kRural;
}

std::vector<GradeSlot> Slots(const GenSchool& s, int school_year) {
  std::vector<GradeSlot> slots;
  for (Stage stage : codes::StagesOfSchoolType(s.school_type)) {
    for (int g = FirstGrade(stage); g <= LastGrade(s.school_type, stage); ++g) {
      GradeSlot slot{g, stage, 0, 1, codes::StageName(stage), "", Category(s.school_type, stage)};
      slot.entry = std::to_string(school_year - (g - FirstGrade(stage))) + "-09";
      slots.push_back(std::move(slot));
    }
  }
  return slots;
}

// Spreads the school's students over its grades: about even, +-8%, the fifth
// university year small.
void Distribute(std::vector<GradeSlot>& slots, uint64_t students, Rng& rng) {
  std::vector<double> weights;
  double total = 0;
  for (const GradeSlot& slot : slots) {
    weights.push_back((slot.grade == 17 ? 0.1 : 1.0) * (0.92 + 0.16 * rng.Uniform()));
    total += weights.back();
  }
  uint64_t given = 0;
  for (size_t i = 0; i < slots.size(); ++i) {
    slots[i].students = static_cast<uint64_t>(static_cast<double>(students) * weights[i] / total);
    given += slots[i].students;
  }
  for (size_t i = 0; given < students && !slots.empty(); i = (i + 1) % slots.size(), ++given)
    ++slots[i].students;
  for (GradeSlot& slot : slots) {
    uint64_t classes = std::max<uint64_t>(1, (slot.students + kClassSize - 1) / kClassSize);
    slot.class_size = std::max<uint64_t>(1, (slot.students + classes - 1) / classes);
  }
}

}  // namespace

SchoolProfile MakeSchoolProfile(const GenSchool& school, int school_year, uint32_t place,
                                Rng& rng) {
  SchoolProfile p;
  p.school = &school;
  p.grades = Slots(school, school_year);
  Distribute(p.grades, school.students, rng);
  p.tail = "," + school.name + "," + school.school_type + "," + school.division + "\n";
  p.place = place;
  p.locality = LocalityOf(school.urban_rural);
  p.higher = school.school_type[0] == '4';
  p.special = 0;
  // 盲人学校 视力, 聋人学校 听力, 培智学校 智力; other special schools mixed ('0').
  if (school.school_type == "511") p.special = '1';
  if (school.school_type == "512") p.special = '2';
  if (school.school_type == "514") p.special = '5';
  if (school.school_type == "515") p.special = '0';
  return p;
}

}  // namespace nemis::gen
