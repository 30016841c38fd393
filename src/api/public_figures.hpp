// How the public API shows counts of people without showing a person:
// - a school's students as a band, never the exact number, so that watching it does not
//   reveal one enrolment or departure (only a crossing of a band's edge shows);
// - statistics with small cells suppressed: a count below the threshold (1 to
//   public.stats_min_cell - 1) is withheld, and so is a second cell of the same breakdown
//   when one alone would be, since the total minus the other cells would give it back;
// - no student figures at all for a region of fewer than public.stats_min_schools open
//   schools (a county with one school would show that school's exact count, which its band
//   hides), and the figures shown rounded to public.stats_round_to, so that subtracting
//   the other counties from a city gives a withheld county back only roughly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nemis::api {

struct StudentBand {
  int64_t min = 0;
  std::optional<int64_t> max;  // none for the top band
  std::string label;           // "<100", "100–499", "500–999", "1000–1999", "≥2000"
};

/// The band of a school's student count.
StudentBand BandOf(int64_t students);

/// One cell of a breakdown (students of a stage, of a gender, ...).
struct Cell {
  std::string code, label;
  int64_t count = 0;
  bool suppressed = false;
};

/// Marks the cells to withhold: those below `min_cell` and, when `total_shown` and exactly
/// one cell is withheld so, also the smallest shown one. `min_cell` 1 or less withholds
/// nothing.
void SuppressSmallCells(std::vector<Cell>& cells, int64_t min_cell, bool total_shown);

/// `count` to the nearest multiple of `base` (halves up); `base` 1 or less leaves it.
int64_t RoundToBase(int64_t count, int64_t base);

}  // namespace nemis::api
