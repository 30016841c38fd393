// Hands out citizen ID numbers that are valid (GB 11643) and unique across a whole
// generated province, students and guardians alike, for any size: one counter per
// (region, birth day, gender) numbers the 500 sequences of that gender.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.hpp"

namespace nemis::gen {

/// Text forms of one day, precomputed: dates are written millions of times.
struct DayText {
  char iso[10];       // YYYY-MM-DD
  char compact[8];    // YYYYMMDD
  uint16_t weighted;  // the day's share of the ID check sum (digits 7-14)
};

class IdAllocator {
 public:
  static constexpr uint32_t kSequencesPerGender = 500;

  /// People may be born from `first_day` to `last_day` in any of `regions` (6-digit codes).
  IdAllocator(std::vector<std::string> regions, Date first_day, Date last_day);
  ~IdAllocator();
  IdAllocator(const IdAllocator&) = delete;
  IdAllocator& operator=(const IdAllocator&) = delete;

  int64_t first_day() const { return first_day_; }
  int64_t last_day() const { return last_day_; }
  size_t region_count() const { return regions_.size(); }
  std::string_view region(uint32_t index) const { return {regions_[index].code, 6}; }
  /// Text of a day in [first_day, last_day], in days since 1970-01-01.
  const DayText& Day(int64_t day) const { return days_[static_cast<size_t>(day - first_day_)]; }

  /// Starts loading the counter Allocate(region, gender, day, ...) will read first.
  void Prefetch(uint32_t region, int gender, int64_t day) const {
    __builtin_prefetch(&used_[Slot(region, gender, static_cast<size_t>(day - first_day_))], 1);
  }

  /// Writes an unused ID (18 characters, not terminated) for someone of `gender` (1 or 2)
  /// registered in `region` and born in the window [window_start, window_start + window_days),
  /// preferably on window_start + offset, else on the next day with a free sequence.
  /// Returns the birth day used, or nullopt (nothing written) when the window is full.
  std::optional<int64_t> Allocate(uint32_t region, int gender, int64_t window_start,
                                  uint32_t window_days, uint32_t offset, char* out);

 private:
  size_t Slot(uint32_t region, int gender, size_t day_index) const {
    return ((static_cast<size_t>(region) * days_.size() + day_index) << 1) +
           static_cast<size_t>(gender - 1);
  }

  struct Region {
    char code[6];
    uint16_t weighted;
  };
  std::vector<Region> regions_;
  std::vector<DayText> days_;
  int64_t first_day_;
  int64_t last_day_;
  // regions x days x 2 genders, zeroed by mmap: pages nobody touches cost nothing.
  uint16_t* used_ = nullptr;
  size_t used_bytes_ = 0;
};

}  // namespace nemis::gen
