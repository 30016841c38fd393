// Internal: the division table the lookups of division.hpp read — the compiled GB/T 2260 table
// with the changes recorded since laid over it (division_changes.hpp) — and its two bitsets.
// An index is immutable once published and never freed, so a Division* handed out stays valid
// after newer changes are installed.
#pragma once

#include <bitset>
#include <deque>
#include <string>
#include <vector>

#include "codes/division.hpp"

namespace nemis::codes::internal {

inline constexpr int kDivisionCodeSpace = 1000000;

struct DivisionIndex {
  std::vector<Division> rows;    // sorted by code
  std::deque<std::string> text;  // what the rows' views point at when not compiled in
  std::bitset<kDivisionCodeSpace> known;
  std::bitset<kDivisionCodeSpace> address;  // IsAddressCode
};

/// The code as a number, or -1 unless it is exactly six ASCII digits.
int DivisionCodeNumber(std::string_view code);

/// The index lookups read now.
const DivisionIndex& CurrentDivisions();

/// Fills the bitsets of `index` from its rows (which must be sorted).
void IndexDivisions(DivisionIndex& index);

/// Makes `index` the one lookups read from now on (it is never freed).
void PublishDivisions(const DivisionIndex* index);

/// While it lives, the lookups of this thread read `index` instead (a check against a table
/// not published: division_changes.hpp CheckDivisionChangeAfter).
class ScopedDivisions {
 public:
  explicit ScopedDivisions(const DivisionIndex& index);
  ~ScopedDivisions();
  ScopedDivisions(const ScopedDivisions&) = delete;
  ScopedDivisions& operator=(const ScopedDivisions&) = delete;

 private:
  const DivisionIndex* previous_;
};

}  // namespace nemis::codes::internal
