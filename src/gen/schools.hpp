// The schools of a generated province: real counties, realistic types, sizes, names,
// codes and places, scaled to the number of students asked for.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "gen/options.hpp"

namespace nemis::gen {

struct GenSchool {
  std::string code;      // 10 digits, valid per codes::CheckSchoolCode, unique
  std::string name;      // 广州市天河区第三小学
  std::string division;  // county; a prefecture without counties; the province for higher education
  std::string school_type;  // 3-digit 办学类型
  std::string category;     // 2-digit 学校类别, matching the type
  std::string sponsor;      // 举办者 code
  std::string urban_rural;  // NBS 城乡分类 code
  std::string address;
  double longitude = 0;
  double latitude = 0;
  uint64_t students = 0;  // how many students WriteStudentsCsv writes for this school
};

/// Schools for `options.students` students in `options.province`; their `students`
/// add up to exactly options.students. Empty when the province has no places.
std::vector<GenSchool> GenerateSchools(const GenOptions& options);

/// Writes a header (学校标识码,学校名称,办学类型,学校类别,举办者,城乡分类,所在区划,地址,经度,纬度)
/// and one row per school.
Status WriteSchoolsCsv(const std::vector<GenSchool>& schools, std::FILE* out);

}  // namespace nemis::gen
