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
  RowMaker(const GenOptions& options, const std::vector<Place>& places, IdAllocator& ids, CsvBuffer& out);

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
    char id[18];
    char phone_prefix[3];
    uint32_t phone;
  };
  struct Student;

  Status WriteRow(const SchoolProfile& school, const GradeSlot& slot, uint64_t index_in_grade);
  Status DrawIdentity(const SchoolProfile& school, const GradeSlot& slot, Student& s);
  void DrawFlags(const SchoolProfile& school, const GradeSlot& slot, Student& s);
  Status DrawGuardians(Student& s);
  Status DrawGuardian(const Student& s, std::string_view relation, int gender, Guardian& g);
  void DrawGivenName(int gender, std::string_view& first, std::string_view& second);
  std::optional<int64_t> AllocateId(uint32_t region, int gender, Window window, char* out);
  Window BirthWindow(int grade, bool older) const;
  Window YearWindow(int year) const;

  void WriteName(std::string_view surname, std::string_view given1, std::string_view given2, bool dotted);
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
  uint64_t foreign_serial_ = 0;
};

}  // namespace nemis::gen
