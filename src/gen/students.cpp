#include "gen/students.hpp"

#include <map>
#include <memory>

#include "gen/csv_buffer.hpp"
#include "gen/id_allocator.hpp"
#include "gen/places.hpp"
#include "gen/student_rows.hpp"
#include "importer/student_columns.hpp"

namespace nemis::gen {
namespace {

using importer::kStudentColumns;

// Rows are written in enum order; the header must list the columns the same way.
constexpr bool ColumnsInEnumOrder() {
  for (size_t i = 0; i < kStudentColumns.size(); ++i)
    if (static_cast<size_t>(kStudentColumns[i].field) != i) return false;
  return true;
}
static_assert(ColumnsInEnumOrder(), "gen writes student columns in StudentColumn order");

// How many migrant source counties the registry regions include.
constexpr size_t kMigrantSources = 256;
// The earliest birth date gen hands out: grandparents raising left-behind children.
constexpr Date kFirstBirthDate{1950, 1, 1};

}  // namespace

std::string StudentsCsvHeader() {
  std::string header;
  for (const auto& column : kStudentColumns) {
    if (!header.empty()) header += ',';
    header += column.chinese;
  }
  return header + "\n";
}

Status WriteStudentsCsv(const GenOptions& options, const std::vector<GenSchool>& schools,
                        std::FILE* out) {
  if (options.school_year < 1980 || options.school_year > options.today.year + 1)
    return Error::BadRequest("bad_school_year", "学年应在1980年至今年之间");
  std::vector<Place> places = ProvincePlaces(options.province);
  if (places.empty())
    return Error::BadRequest("unknown_province",
                             "省级行政区划代码无效或没有下辖区县: " + options.province);
  std::vector<std::string> regions;
  std::map<std::string, uint32_t, std::less<>> place_index;
  for (const Place& p : places) {
    place_index.emplace(p.code, static_cast<uint32_t>(regions.size()));
    regions.push_back(p.code);
  }
  for (std::string& code : MigrantSourceCounties(options.province, options.seed, kMigrantSources))
    regions.push_back(std::move(code));
  auto allocator = std::make_unique<IdAllocator>(regions, kFirstBirthDate, options.today);

  CsvBuffer buf(out);
  buf.Append(StudentsCsvHeader());
  RowMaker rows(options, places, *allocator, buf);
  Rng profile_rng(options.seed, /*stream=*/0x9F0F);
  for (const GenSchool& school : schools) {
    auto it = place_index.find(school.division);
    uint32_t place = it == place_index.end() ? kAnyPlace : it->second;
    SchoolProfile profile = MakeSchoolProfile(school, options.school_year, place, profile_rng);
    NEMIS_TRY(rows.WriteSchool(profile));
  }
  return buf.Flush();
}

}  // namespace nemis::gen
