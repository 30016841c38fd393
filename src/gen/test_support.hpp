// Internal to gen's tests: run the generator into memory and split its CSV.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "gen/schools.hpp"
#include "gen/students.hpp"

namespace nemis::gen::testing {

/// Calls `write(FILE*)` on an in-memory stream and returns what it wrote.
template <class Write>
std::string CaptureOutput(Write write) {
  char* data = nullptr;
  size_t size = 0;
  std::FILE* f = open_memstream(&data, &size);
  write(f);
  std::fclose(f);
  std::string out(data, size);
  std::free(data);
  return out;
}

inline std::string StudentsCsv(const GenOptions& options) {
  std::vector<GenSchool> schools = GenerateSchools(options);
  return CaptureOutput([&](std::FILE* f) {
    if (!WriteStudentsCsv(options, schools, f).ok()) std::abort();
  });
}

/// Splits on `separator`; gen never quotes, so no field holds one.
inline std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == separator) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

}  // namespace nemis::gen::testing
