// Internal to gen: draws and writes student rows. Everything a row needs is
// precomputed here or in SchoolProfile, so a row costs draws and copies only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "gen/csv_buffer.hpp"
#include "gen/id_allocator.hpp"
#include "gen/options.hpp"
#include "gen/places.hpp"
#include "gen/random.hpp"
#include "gen/student_profile.hpp"

namespace nemis::gen {

class RowMaker {
 public:
  RowMaker(const GenOptions& options, const std::vector<Place>& places, IdAllocator& ids,
           CsvBuffer& out);

  Status WriteSchool(const SchoolProfile& school);

 private:
  struct Window {
    int64_t start;
    uint32_t days;
  };
  struct Guardian {
    std::string_view surname, given1, given2, dotted_father;
    std::string_view relation;
    int gender;
    Window window;  // the birth year
    uint32_t offset;
    uint32_t region;
    char id[18];
    char phone_prefix[3];
    uint32_t phone;
  };
  struct Student {
    int gender;
    std::string_view ethnicity;
    bool dotted;  // 本人名·父名, as Uyghur and Kazakh names are written
    std::string_view surname, given1, given2;
    Window window;  // possible birth days for the grade
    uint32_t offset;
    char id_type;
    char id[18];
    size_t id_length;
    std::string_view nationality, overseas, hukou;
    int64_t birth;
    uint32_t region;         // where the ID number says the family is registered
    uint32_t address_place;  // where the family lives
    bool migrant, migrant_child, citizen, orphan, martyr;
    std::string_view left_behind, disability, in_regular_class, category, boarding, entry_method;
    Guardian g1, g2;
  };

  Status WriteRow(const SchoolProfile& school, const GradeSlot& slot, uint64_t index_in_grade);
  Status DrawStudent(const SchoolProfile& school, const GradeSlot& slot, Student& s);
  void PlanStudent(const SchoolProfile& school, const GradeSlot& slot, Student& s);
  void DrawForeignDocument(Student& s);
  void DrawFlags(const SchoolProfile& school, const GradeSlot& slot, Student& s);
  void PlanGuardians(Student& s);
  void PlanGuardian(const Student& s, std::string_view relation, int gender, Guardian& g);
  void NameStudent(Student& s);
  void NameGuardian(const Student& s, Guardian& g);
  void DrawGivenName(int gender, std::string_view& first, std::string_view& second);
  std::optional<int64_t> AllocateId(uint32_t region, int gender, Window window, uint32_t offset,
                                    char* out);
  Window BirthWindow(int grade, bool older) const;
  Window YearWindow(int year) const;

  void WriteName(std::string_view surname, std::string_view given1, std::string_view given2,
                 bool dotted);
  void WriteGuardian(const Guardian& g);
  void WritePhone(const Guardian& g);
  void WriteAddress(uint32_t place, Locality locality);

  const GenOptions& options_;
  IdAllocator& ids_;
  CsvBuffer& out_;
  Rng rng_;
  uint32_t local_places_;
  std::vector<std::string> address_prefixes_;  // per local place
  WeightedTable local_surnames_, national_surnames_, ethnicities_, disabilities_;
  std::vector<Window> birth_windows_;  // (grade + 2) * 2 + older
  std::vector<Window> year_windows_;   // guardians' birth years, from 1950
  uint64_t foreign_serial_ = 0;
};

}  // namespace nemis::gen
