// Validating a student the way POST /api/v1/students and imports do: a fixed "today" and a
// few schools of 广州市 in scope (the fixtures of student_validation_test.cpp).
#pragma once

#include <string>
#include <utility>

#include "registry/school_lookup.hpp"
#include "registry/student_validation.hpp"

namespace nemis::fuzz {

inline constexpr Date kToday{2025, 11, 1};

inline org::Institution FixtureSchool(int64_t id, std::string code, std::string type,
                                      std::string county) {
  org::Institution s;
  s.id = id;
  s.code = std::move(code);
  s.parent_code = county;
  s.name = "测试学校" + std::to_string(id);
  s.province_code = "440000";
  s.city_code = "440100";
  s.county_code = std::move(county);
  s.school_type = std::move(type);
  s.category = s.code.substr(0, 2);
  return s;
}

inline Result<registry::Student> ValidateForFuzz(const registry::StudentInput& input) {
  static const registry::SchoolMap schools({FixtureSchool(7, "2144000001", "211", "440106"),
                                            FixtureSchool(8, "3144000002", "312", "440106"),
                                            FixtureSchool(9, "1144000003", "111", "440105"),
                                            FixtureSchool(10, "3444000004", "345", "440106")});
  static const org::Scope scope = org::Scope::Everything();
  return registry::ValidateStudent(input, {kToday, &schools, &scope});
}

}  // namespace nemis::fuzz
