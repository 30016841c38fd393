#include "gen/id_allocator.hpp"

#include <sys/mman.h>

#include <cstdio>
#include <cstring>
#include <new>

namespace nemis::gen {
namespace {

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckCharacters[] = "10X98765432";
// Any multiplier coprime to 500 permutes the sequences, so numbers do not simply count up.
constexpr uint32_t kSequenceStride = 173;

uint16_t WeightedSum(const char* digits, int first_weight, int count) {
  int sum = 0;
  for (int i = 0; i < count; ++i) sum += (digits[i] - '0') * kWeights[first_weight + i];
  return static_cast<uint16_t>(sum);
}

DayText MakeDayText(int64_t day) {
  Date d = Date::FromDaysSinceEpoch(day);
  DayText t;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", d.year, d.month, d.day);
  std::memcpy(t.compact, buf, 8);
  std::memcpy(t.iso, buf, 4);
  t.iso[4] = '-';
  std::memcpy(t.iso + 5, buf + 4, 2);
  t.iso[7] = '-';
  std::memcpy(t.iso + 8, buf + 6, 2);
  t.weighted = WeightedSum(t.compact, 6, 8);
  return t;
}

}  // namespace

IdAllocator::IdAllocator(std::vector<std::string> regions, Date first_day, Date last_day)
    : first_day_(first_day.DaysSinceEpoch()), last_day_(last_day.DaysSinceEpoch()) {
  for (const std::string& code : regions) {
    Region r;
    std::memcpy(r.code, code.data(), 6);
    r.weighted = WeightedSum(code.data(), 0, 6);
    regions_.push_back(r);
  }
  for (int64_t d = first_day_; d <= last_day_; ++d) days_.push_back(MakeDayText(d));
  used_bytes_ = regions_.size() * days_.size() * 2 * sizeof(uint16_t);
  void* p = mmap(nullptr, used_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  // Counters are hit at random across tens of megabytes: huge pages spare most TLB misses.
  madvise(p, used_bytes_, MADV_HUGEPAGE);
  used_ = static_cast<uint16_t*>(p);
}

IdAllocator::~IdAllocator() { munmap(used_, used_bytes_); }

std::optional<int64_t> IdAllocator::Allocate(uint32_t region, int gender, int64_t window_start,
                                             uint32_t window_days, uint32_t offset, char* out) {
  const Region& r = regions_[region];
  uint32_t position = offset;
  for (uint32_t tried = 0; tried < window_days;
       ++tried, position = position + 1 == window_days ? 0 : position + 1) {
    int64_t day = window_start + position;
    auto day_index = static_cast<size_t>(day - first_day_);
    size_t slot = Slot(region, gender, day_index);
    uint32_t count = used_[slot];
    if (count >= kSequencesPerGender) continue;
    used_[slot] = static_cast<uint16_t>(count + 1);
    // Below 500, so that count -> sequence stays a bijection (no wrap-around).
    auto salt = static_cast<uint32_t>((region * 31 + day_index * 7) % kSequencesPerGender);
    uint32_t sequence =
        ((count * kSequenceStride + salt) % kSequencesPerGender) * 2 + (gender == 1 ? 1 : 0);
    const DayText& text = Day(day);
    std::memcpy(out, r.code, 6);
    std::memcpy(out + 6, text.compact, 8);
    out[14] = static_cast<char>('0' + sequence / 100);
    out[15] = static_cast<char>('0' + sequence / 10 % 10);
    out[16] = static_cast<char>('0' + sequence % 10);
    int sum = r.weighted + text.weighted + (out[14] - '0') * 8 + (out[15] - '0') * 4 +
              (out[16] - '0') * 2;
    out[17] = kCheckCharacters[sum % 11];
    return day;
  }
  return std::nullopt;
}

}  // namespace nemis::gen
