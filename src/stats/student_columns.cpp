#include "stats/student_columns.hpp"

#include <algorithm>
#include <charconv>

namespace nemis::stats {
namespace {

template <class T>
size_t Bytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

int ParseInt(std::string_view text) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && ptr == text.data() + text.size() ? v : -1;
}

}  // namespace

uint16_t MonthNumber(std::string_view date) {
  if (date.size() < 7 || date[4] != '-') return 0;
  const int year = ParseInt(date.substr(0, 4)), month = ParseInt(date.substr(5, 2));
  if (year < 0 || month < 1 || month > 12) return 0;
  return static_cast<uint16_t>(year * 12 + month - 1);
}

void StudentColumns::Grow(size_t slots) {
  // New ids come in order: grow by a step, not slot by slot, but not by half again
  // either (a 30-million-student node would carry 15 million empty slots).
  Reserve(std::max(slots, school.size() + std::max<size_t>(school.size() / 16, 65536)));
}

void StudentColumns::Reserve(size_t slots) {
  if (slots <= school.size()) return;
  const size_t to = slots;
  school.resize(to);
  grade.resize(to);
  grade_mark.resize(to);
  for (auto* column : {&stage, &gender, &ethnicity, &status, &hukou_type, &disability_type, &flags,
                       &left_behind, &boarding})
    column->resize(to);
  class_no.resize(to);
  birth_month.resize(to);
  entry_month.resize(to);
}

Status StudentColumns::Put(const StudentFacts& f) {
  if (f.id <= 0 || f.school_id <= 0 || f.school_id > UINT32_MAX)
    return Error::Internal("统计投影：学生 " + std::to_string(f.id) + " 的标识不在范围内");
  if (f.grade < INT8_MIN || f.grade > INT8_MAX || f.grade_mark < 0 || f.grade_mark > UINT16_MAX ||
      f.gender < 0 || f.gender > UINT8_MAX || f.left_behind < 0 || f.left_behind > UINT8_MAX ||
      (f.boarding && (*f.boarding < 0 || *f.boarding >= UINT8_MAX)))
    return Error::Internal("统计投影：学生 " + std::to_string(f.id) + " 的年级或性别不在范围内");
  auto stage_code = stages.Encode(f.stage);
  auto ethnicity_code = ethnicities.Encode(f.ethnicity);
  auto status_code = statuses.Encode(f.status);
  auto hukou_code = hukou_types.Encode(f.hukou_type);
  auto disability_code = disability_types.Encode(f.disability_type);
  auto class_code = classes.Encode(f.class_no);
  if (!stage_code || !ethnicity_code || !status_code || !hukou_code || !disability_code ||
      !class_code)
    return Error::Internal("统计投影：某一列的不同取值过多");
  const auto slot = static_cast<size_t>(f.id);
  if (slot >= school.size()) Grow(slot + 1);
  if (!school[slot]) ++count;
  school[slot] = static_cast<uint32_t>(f.school_id);
  grade[slot] = static_cast<int8_t>(f.grade);
  grade_mark[slot] = static_cast<uint16_t>(f.grade_mark);
  stage[slot] = static_cast<uint8_t>(*stage_code);
  gender[slot] = static_cast<uint8_t>(f.gender);
  ethnicity[slot] = static_cast<uint8_t>(*ethnicity_code);
  status[slot] = static_cast<uint8_t>(*status_code);
  hukou_type[slot] = static_cast<uint8_t>(*hukou_code);
  disability_type[slot] = static_cast<uint8_t>(*disability_code);
  class_no[slot] = static_cast<uint16_t>(*class_code);
  uint8_t bits = 0;
  if (f.migrant_child) bits |= kMigrantChild;
  if (f.orphan) bits |= kOrphan;
  if (f.martyr_child) bits |= kMartyrChild;
  if (f.in_regular_class) bits |= kInRegularClass;
  flags[slot] = bits;
  left_behind[slot] = static_cast<uint8_t>(f.left_behind);
  boarding[slot] = f.boarding ? static_cast<uint8_t>(*f.boarding + 1) : 0;
  birth_month[slot] = MonthNumber(f.birth_date);
  entry_month[slot] = MonthNumber(f.entry_date);
  return {};
}

size_t StudentColumns::MemoryBytes() const {
  return Bytes(school) + Bytes(grade) + Bytes(grade_mark) + Bytes(stage) + Bytes(gender) +
         Bytes(ethnicity) + Bytes(status) + Bytes(hukou_type) + Bytes(disability_type) +
         Bytes(flags) + Bytes(left_behind) + Bytes(boarding) + Bytes(class_no) +
         Bytes(birth_month) + Bytes(entry_month) + stages.MemoryBytes() +
         ethnicities.MemoryBytes() + statuses.MemoryBytes() + hukou_types.MemoryBytes() +
         disability_types.MemoryBytes() + classes.MemoryBytes();
}

}  // namespace nemis::stats
