#include "stats/rollup_counters.hpp"

#include <algorithm>
#include <array>

namespace nemis::stats {
namespace {

using registry::StatsDimension;

class GroupingCounter final : public RollupCounter {
 public:
  GroupingCounter(std::vector<StatsDimension> by, bool all_statuses)
      : by_(std::move(by)), all_statuses_(all_statuses) {}

  void KeysOf(const StudentCodes& codes, size_t id, const OrgEntry& school,
              std::vector<uint64_t>& keys) override {
    if (!all_statuses_ && !codes.Current(id)) return;
    uint64_t key = 0;
    for (auto d : by_) key = key * StudentCodes::Radix(d) + codes.Code(d, id, school.promotions);
    keys.push_back(key);
  }

 private:
  std::vector<StatsDimension> by_;
  bool all_statuses_;
};

class FormCounter final : public RollupCounter {
 public:
  explicit FormCounter(const FormDefinition& form) : columns_(form.columns.size()) {
    AddLine(form.population);
    for (const auto& row : form.rows) AddLine(row.where);
    for (const auto& column : form.columns) AddLine(column.where);
    for (const auto& row : form.rows) {
      for (const auto& column : form.columns) {
        const bool not_applicable = std::find(row.not_applicable.begin(), row.not_applicable.end(),
                                              column.code) != row.not_applicable.end();
        counted_.push_back(!column.graduates && !row.unavailable && !column.unavailable &&
                           !not_applicable);
      }
    }
    rows_ = form.rows.size();
  }

  void KeysOf(const StudentCodes& codes, size_t id, const OrgEntry& school,
              std::vector<uint64_t>& keys) override {
    Refresh(codes);
    const std::vector<bool>& by_school = SchoolAdmits(school);
    const auto admits = [&](size_t line) {
      if (!by_school[line]) return false;
      for (const auto& c : lines_[line].student)
        if (!c.admits[codes.Code(c.dimension, id, school.promotions)]) return false;
      return true;
    };
    if (!admits(0)) return;
    rows_met_.clear();
    for (size_t r = 0; r < rows_; ++r)
      if (admits(1 + r)) rows_met_.push_back(r);
    if (rows_met_.empty()) return;
    for (size_t c = 0; c < columns_; ++c) {
      if (!admits(1 + rows_ + c)) continue;
      for (size_t r : rows_met_)
        if (counted_[r * columns_ + c]) keys.push_back(r * columns_ + c);
    }
  }

  void ForgetSchool(int64_t id) override { school_admits_.erase(id); }

 private:
  struct StudentCondition {
    StatsDimension dimension;
    Condition condition;
    std::vector<bool> admits;  // by code
  };
  struct Line {
    std::vector<StudentCondition> student;
    std::vector<Condition> school;
  };

  void AddLine(const std::vector<Condition>& where) {
    Line line;
    for (const auto& c : where) {
      if (IsSchoolDimension(c.dimension))
        line.school.push_back(c);
      else
        line.student.push_back({c.dimension, c, {}});
    }
    lines_.push_back(std::move(line));
  }

  // The conditions' admitted codes, again whenever a dictionary has grown.
  void Refresh(const StudentCodes& codes) {
    const StudentColumns& s = codes.columns();
    const std::array<uint32_t, 6> sizes = {s.stages.size(),           s.ethnicities.size(),
                                           s.statuses.size(),         s.hukou_types.size(),
                                           s.disability_types.size(), s.classes.size()};
    if (sizes == dictionary_sizes_) return;
    dictionary_sizes_ = sizes;
    for (auto& line : lines_) {
      for (auto& c : line.student) {
        const DimensionKeys keys = codes.Keys(c.dimension);
        c.admits.assign(keys.radix, false);
        for (size_t code = 0; code < keys.keys.size(); ++code)
          c.admits[code] = c.condition.Matches(keys.keys[code]);
      }
    }
  }

  // Per line, whether the school meets its conditions on a school's dimensions.
  const std::vector<bool>& SchoolAdmits(const OrgEntry& school) {
    auto [it, added] = school_admits_.try_emplace(school.institution.id);
    if (added) {
      for (const auto& line : lines_)
        it->second.push_back(std::all_of(line.school.begin(), line.school.end(), [&](auto& c) {
          return c.Matches(SchoolKey(c.dimension, school.institution, org::OrgLevel::kNational));
        }));
    }
    return it->second;
  }

  size_t rows_ = 0, columns_;
  std::vector<Line> lines_;    // the population, the rows, the columns
  std::vector<bool> counted_;  // by cell index
  std::array<uint32_t, 6> dictionary_sizes_{};
  std::unordered_map<int64_t, std::vector<bool>> school_admits_;  // by school id
  std::vector<size_t> rows_met_;                                  // scratch
};

bool FitsInAKey(const std::vector<StatsDimension>& by) {
  uint64_t combinations = 1;
  for (auto d : by) {
    const uint64_t radix = StudentCodes::Radix(d);
    if (IsSchoolDimension(d) || combinations > UINT64_MAX / radix) return false;
    combinations *= radix;
  }
  return true;
}

}  // namespace

std::unique_ptr<RollupCounter> MakeGroupingCounter(const std::vector<StatsDimension>& by,
                                                   bool all_statuses) {
  if (!FitsInAKey(by)) return nullptr;
  return std::make_unique<GroupingCounter>(by, all_statuses);
}

std::unique_ptr<RollupCounter> MakeFormCounter(const FormDefinition& form) {
  if (form.measure != FormMeasure::kStudents) return nullptr;
  for (const auto* lines : {&form.rows, &form.columns})
    for (const auto& line : *lines)
      for (const auto& c : line.where)
        if (c.dimension == StatsDimension::kOrg) return nullptr;
  for (const auto& c : form.population)
    if (c.dimension == StatsDimension::kOrg) return nullptr;
  return std::make_unique<FormCounter>(form);
}

std::vector<DimensionKeys> GroupingKeys(const StudentCodes& codes,
                                        const std::vector<StatsDimension>& by) {
  std::vector<DimensionKeys> keys;
  keys.reserve(by.size());
  for (auto d : by) keys.push_back(codes.Keys(d));
  return keys;
}

}  // namespace nemis::stats
