// Internal: the generated division table (division_data.cpp), sorted by code.
// Use division.hpp; this header exists so that the data file stays plain data.
#pragma once

#include <span>

#include "codes/division.hpp"

namespace nemis::codes::internal {

std::span<const Division> DivisionTable();

}  // namespace nemis::codes::internal
