// Options of `nemis gen`, the deterministic synthetic province used for tests,
// benchmarks and demos: the same options give byte-identical output.
#pragma once

#include <cstdint>
#include <string>

#include "base/date.hpp"

namespace nemis::gen {

struct GenOptions {
  uint64_t students = 10000;
  uint64_t seed = 1;
  std::string province = "440000";  // a current province-level division code
  int school_year = 2025;           // the 学年 starting 1 September school_year
  Date today{2025, 11, 1};          // no generated birth date lies after it
};

}  // namespace nemis::gen
