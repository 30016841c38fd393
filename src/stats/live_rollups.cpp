#include "stats/live_rollups.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

#include "base/log.hpp"
#include "stats/student_codes.hpp"

namespace nemis::stats {
namespace {

// Whether an institution's new row changes what its students count as: a school's promotions
// (their grades now), its place in the tree, its attributes a count may group or select by,
// or its becoming or ceasing to be a school.
bool ChangesCounts(const OrgEntry* before, const OrgEntry& after) {
  const bool was_school = before && before->institution.level == org::OrgLevel::kSchool;
  const bool is_school = after.institution.level == org::OrgLevel::kSchool;
  if (was_school != is_school) return true;
  if (!is_school) return false;
  const org::Institution &a = before->institution, &b = after.institution;
  return before->promotions != after.promotions || a.code != b.code ||
         a.province_code != b.province_code || a.city_code != b.city_code ||
         a.county_code != b.county_code || a.urban_rural != b.urban_rural ||
         a.school_type != b.school_type;
}

std::string GroupingName(const registry::StatsQuery& query) {
  std::string name = query.all_statuses ? "all:" : "current:";
  for (auto d : query.by) name.append(registry::DimensionName(d)).append(",");
  return name;
}

}  // namespace

// The school each student counts in and the keys it counts under, over the projection as it
// is when made.
class LiveRollups::Keyer {
 public:
  explicit Keyer(const Projection& p) : p_(p), codes_(p.students) {
    schools_.resize(static_cast<size_t>(p.orgs.IdLimit()), nullptr);
    for (int64_t id = 0; id < p.orgs.IdLimit(); ++id) {
      const OrgEntry* e = p.orgs.ById(id);
      if (e && e->institution.level == org::OrgLevel::kSchool)
        schools_[static_cast<size_t>(id)] = e;
    }
  }

  /// The school the student in slot `id` counts in; null if none (no student, or not at a
  /// school the tree knows).
  const OrgEntry* SchoolOf(size_t id) const {
    if (!p_.students.Has(static_cast<int64_t>(id))) return nullptr;
    const uint32_t school = p_.students.school[id];
    return school < schools_.size() ? schools_[school] : nullptr;
  }
  /// The keys of the student in slot `id` at `school` in `r` (valid until the next call).
  const std::vector<uint64_t>& Keys(Rollup& r, size_t id, const OrgEntry& school) {
    keys_.clear();
    r.counter->KeysOf(codes_, id, school, keys_);
    return keys_;
  }

 private:
  const Projection& p_;
  StudentCodes codes_;
  std::vector<const OrgEntry*> schools_;  // by org id: the schools' rows
  std::vector<uint64_t> keys_;
};

void LiveRollups::Add(Counts& counts, uint64_t key, int64_t delta) {
  auto at = std::lower_bound(counts.begin(), counts.end(), key,
                             [](const auto& entry, uint64_t k) { return entry.first < k; });
  if (at == counts.end() || at->first != key) {
    counts.insert(at, {key, delta});
    return;
  }
  at->second += delta;
  if (at->second == 0) counts.erase(at);
}

void LiveRollups::AddToRegions(Rollup& r, const org::Institution& school, uint64_t key,
                               int64_t delta) {
  Add(r.node, key, delta);
  const std::optional<std::string>* regions[] = {&school.province_code, &school.city_code,
                                                 &school.county_code};
  for (size_t level = 0; level < r.regions.size(); ++level)
    if (*regions[level]) Add(r.regions[level][**regions[level]], key, delta);
}

std::optional<LiveRollups::Rollup> LiveRollups::Make(const Projection& p,
                                                     std::unique_ptr<RollupCounter> counter) const {
  Rollup r;
  r.counter = std::move(counter);
  r.schools.resize(static_cast<size_t>(p.orgs.IdLimit()));
  Keyer keyer(p);
  size_t entries = 0;
  for (size_t id = 1; id < p.students.Slots(); ++id) {
    const OrgEntry* school = keyer.SchoolOf(id);
    if (!school) continue;
    Counts& counts = r.schools[static_cast<size_t>(school->institution.id)];
    const size_t before = counts.size();
    for (uint64_t key : keyer.Keys(r, id, *school)) Add(counts, key, 1);
    entries += counts.size() - before;
    if (entries > max_entries_) return std::nullopt;
  }
  for (size_t id = 0; id < r.schools.size(); ++id)
    if (const OrgEntry* e = p.orgs.ById(static_cast<int64_t>(id)))
      for (const auto& [key, count] : r.schools[id]) AddToRegions(r, e->institution, key, count);
  if (Entries(r) > max_entries_) return std::nullopt;
  return r;
}

std::shared_ptr<const LiveRollups::Rollup> LiveRollups::Held(
    const Projection& p, const std::string& name,
    const std::function<std::unique_ptr<RollupCounter>()>& make) {
  if (capacity_ == 0) return nullptr;
  std::unique_lock lock(mutex_);
  const auto asked = [&](const std::shared_ptr<Rollup>& r) {
    r->last_asked = ++asked_;
    return r;
  };
  if (auto it = rollups_.find(name); it != rollups_.end()) return asked(it->second);
  if (refused_.contains(name)) return nullptr;
  auto counter = make();
  if (!counter) {
    Refuse(name);
    return nullptr;
  }
  // Made without the rollups' lock, so that other counts go on meanwhile: the projection
  // cannot change while the caller holds its shared lock.
  lock.unlock();
  const auto start = std::chrono::steady_clock::now();
  auto made = Make(p, std::move(counter));
  log::Info("stats_rollup_made",
            {{"rollup", name},
             {"kept", made.has_value()},
             {"entries", made ? static_cast<int64_t>(Entries(*made)) : int64_t{0}},
             {"seconds",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}});
  lock.lock();
  if (auto it = rollups_.find(name); it != rollups_.end()) return asked(it->second);  // made twice
  if (!made) {
    Refuse(name);
    return nullptr;
  }
  if (rollups_.size() >= capacity_)
    rollups_.erase(std::min_element(rollups_.begin(), rollups_.end(), [](auto& a, auto& b) {
      return a.second->last_asked < b.second->last_asked;
    }));
  return asked(rollups_.emplace(name, std::make_shared<Rollup>(std::move(*made))).first->second);
}

void LiveRollups::Refuse(const std::string& name) {
  if (refused_.size() >= 1024) refused_.clear();  // a bound for ad hoc groupings
  refused_.insert(name);
}

std::optional<registry::StatsResult> LiveRollups::Count(const Projection& p,
                                                        const org::Subtree& root,
                                                        const registry::StatsQuery& query) {
  registry::StatsQuery own = query;  // the students' own dimensions: what the rollup keys
  std::erase_if(own.by, IsSchoolDimension);
  const auto r =
      Held(p, GroupingName(own), [&] { return MakeGroupingCounter(own.by, own.all_statuses); });
  if (!r) return std::nullopt;
  const auto keys = GroupingKeys(StudentCodes(p.students), own.by);
  if (own.by.size() == query.by.size()) {
    const Counts* counts = Of(*r, p, root);
    return Tally(root.code, query.by, keys, counts ? *counts : Counts{});
  }
  return BySchool(*r, p, root, query.by, keys);
}

namespace {

struct SchoolKeyHash {
  size_t operator()(const std::pair<uint32_t, uint64_t>& k) const {
    return std::hash<uint64_t>()(k.second * 0x9E3779B97F4A7C15ULL ^ k.first);
  }
};

}  // namespace

// A grouping with a school's dimensions: each school's counts under the root, keyed by its
// values of those dimensions as well (one read of each school's rollup, no pass).
registry::StatsResult LiveRollups::BySchool(const Rollup& r, const Projection& p,
                                            const org::Subtree& root,
                                            const std::vector<registry::StatsDimension>& by,
                                            const std::vector<DimensionKeys>& own_keys) {
  std::map<std::vector<db::Value>, uint32_t> tuple_of;  // the schools' values, numbered
  std::vector<const std::vector<db::Value>*> tuples;
  std::unordered_map<std::pair<uint32_t, uint64_t>, int64_t, SchoolKeyHash> sums;
  for (int64_t id = 0; id < p.orgs.IdLimit() && static_cast<size_t>(id) < r.schools.size(); ++id) {
    const OrgEntry* e = p.orgs.ById(id);
    const Counts& counts = r.schools[static_cast<size_t>(id)];
    if (counts.empty() || !e || e->institution.level != org::OrgLevel::kSchool ||
        !root.Contains(e->institution))
      continue;
    std::vector<db::Value> values;
    for (auto d : by)
      if (IsSchoolDimension(d)) values.push_back(SchoolKey(d, e->institution, root.level));
    auto [it, added] = tuple_of.emplace(std::move(values), static_cast<uint32_t>(tuples.size()));
    if (added) tuples.push_back(&it->first);
    for (const auto& [key, count] : counts) sums[{it->second, key}] += count;
  }
  std::map<std::vector<db::Value>, int64_t> rows;  // sorted as Tally sorts
  for (const auto& [tuple_key, count] : sums) {
    std::vector<db::Value> row(by.size());
    uint64_t rest = tuple_key.second;
    size_t own = own_keys.size(), school = tuples[tuple_key.first]->size();
    for (size_t i = by.size(); i-- > 0;) {
      if (IsSchoolDimension(by[i])) {
        row[i] = (*tuples[tuple_key.first])[--school];
      } else {
        const DimensionKeys& k = own_keys[--own];
        row[i] = k.keys[rest % k.radix];
        rest /= k.radix;
      }
    }
    rows[std::move(row)] += count;
  }
  registry::StatsResult result{root.code, by, {}, 0};
  for (auto& [keys, count] : rows) {
    result.rows.push_back({keys, count});
    result.total += count;
  }
  return result;
}

std::optional<std::vector<int64_t>> LiveRollups::FormCells(const Projection& p,
                                                           const org::Subtree& root,
                                                           const FormDefinition& form) {
  const auto r = Held(p, "form:" + form.id, [&] { return MakeFormCounter(form); });
  if (!r) return std::nullopt;
  return Cells(Of(*r, p, root), form);
}

std::vector<int64_t> LiveRollups::Cells(const Counts* counts, const FormDefinition& form) {
  std::vector<int64_t> cells(form.rows.size() * form.columns.size(), 0);
  if (counts)
    for (const auto& [cell, count] : *counts) cells[cell] = count;
  return cells;
}

std::optional<std::vector<std::pair<std::string, std::vector<int64_t>>>>
LiveRollups::FormCellsByChild(const Projection& p, const org::Subtree& root,
                              const FormDefinition& form) {
  const auto r = Held(p, "form:" + form.id, [&] { return MakeFormCounter(form); });
  // Every student (of any status), to list the children as the one-pass count does.
  const registry::StatsQuery everyone{root.code, {}, true};
  const auto all = Held(p, GroupingName(everyone), [] { return MakeGroupingCounter({}, true); });
  if (!r || !all) return std::nullopt;
  std::map<std::string, org::Subtree> children;
  for (int64_t id = 0; id < p.orgs.IdLimit(); ++id) {
    const OrgEntry* e = p.orgs.ById(id);
    if (e && e->institution.level == org::OrgLevel::kSchool && root.Contains(e->institution)) {
      org::Subtree child = ChildOf(e->institution, root.level);
      children.emplace(child.code, std::move(child));
    }
  }
  std::vector<std::pair<std::string, std::vector<int64_t>>> out;
  for (const auto& [code, child] : children) {
    const Counts* students = Of(*all, p, child);
    if (students && !students->empty()) out.emplace_back(code, Cells(Of(*r, p, child), form));
  }
  return out;
}

const LiveRollups::Counts* LiveRollups::Of(const Rollup& r, const Projection& p,
                                           const org::Subtree& root) {
  const auto in = [&](size_t level) -> const Counts* {
    auto found = r.regions[level].find(root.code);
    return found == r.regions[level].end() ? nullptr : &found->second;
  };
  switch (root.level) {
    case org::OrgLevel::kNational:
      return &r.node;
    case org::OrgLevel::kProvince:
      return in(0);
    case org::OrgLevel::kCity:
      return in(1);
    case org::OrgLevel::kCounty:
      return in(2);
    case org::OrgLevel::kSchool: {
      const OrgEntry* e = p.orgs.ByCode(root.code);
      const auto id = e ? static_cast<size_t>(e->institution.id) : r.schools.size();
      return id < r.schools.size() ? &r.schools[id] : nullptr;
    }
  }
  return nullptr;
}

void LiveRollups::BeforeApply(const Projection& p, std::span<const int64_t> students,
                              std::span<const OrgEntry> orgs) {
  std::lock_guard lock(mutex_);
  recounting_.clear();
  if (rollups_.empty()) return;
  for (const OrgEntry& org : orgs) {
    const auto id = static_cast<size_t>(org.institution.id);
    if (!ChangesCounts(p.orgs.ById(org.institution.id), org)) continue;
    if (recounting_.size() <= id) recounting_.resize(id + 1, false);
    recounting_[id] = true;
  }
  AddStudents(p, students, -1);
  for (size_t id = 0; id < recounting_.size(); ++id) {
    if (!recounting_[id]) continue;
    const OrgEntry* before = p.orgs.ById(static_cast<int64_t>(id));
    for (auto& [name, r] : rollups_) {
      r->counter->ForgetSchool(static_cast<int64_t>(id));
      if (!before || id >= r->schools.size()) continue;
      for (const auto& [key, count] : r->schools[id])
        AddToRegions(*r, before->institution, key, -count);
      r->schools[id].clear();
    }
  }
}

void LiveRollups::AfterApply(const Projection& p, std::span<const int64_t> students) {
  std::lock_guard lock(mutex_);
  if (!rollups_.empty()) {
    AddStudents(p, students, +1);
    RecountSchools(p);
  }
  recounting_.clear();
}

void LiveRollups::AddStudents(const Projection& p, std::span<const int64_t> ids, int64_t delta) {
  Keyer keyer(p);
  for (auto& [name, held] : rollups_) {
    Rollup& r = *held;
    for (int64_t student : ids) {
      const auto id = static_cast<size_t>(student);
      const OrgEntry* school = keyer.SchoolOf(id);
      if (!school) continue;
      const auto school_id = static_cast<size_t>(school->institution.id);
      if (school_id < recounting_.size() && recounting_[school_id]) continue;  // counted whole
      if (r.schools.size() <= school_id) r.schools.resize(school_id + 1);
      for (uint64_t key : keyer.Keys(r, id, *school)) {
        Add(r.schools[school_id], key, delta);
        AddToRegions(r, school->institution, key, delta);
      }
    }
  }
}

// Counts again, in one pass, the students of the schools BeforeApply took out whole.
void LiveRollups::RecountSchools(const Projection& p) {
  if (std::find(recounting_.begin(), recounting_.end(), true) == recounting_.end()) return;
  Keyer keyer(p);
  for (auto& [name, r] : rollups_)
    if (r->schools.size() < recounting_.size()) r->schools.resize(recounting_.size());
  for (size_t id = 1; id < p.students.Slots(); ++id) {
    const uint32_t school_id = p.students.school[id];
    if (school_id >= recounting_.size() || !recounting_[school_id]) continue;
    const OrgEntry* school = keyer.SchoolOf(id);
    if (!school) continue;
    for (auto& [name, r] : rollups_)
      for (uint64_t key : keyer.Keys(*r, id, *school)) Add(r->schools[school_id], key, 1);
  }
  for (size_t id = 0; id < recounting_.size(); ++id) {
    const OrgEntry* school = recounting_[id] ? p.orgs.ById(static_cast<int64_t>(id)) : nullptr;
    if (!school || school->institution.level != org::OrgLevel::kSchool) continue;
    for (auto& [name, r] : rollups_)
      for (const auto& [key, count] : r->schools[id])
        AddToRegions(*r, school->institution, key, count);
  }
}

void LiveRollups::Clear() {
  std::lock_guard lock(mutex_);
  rollups_.clear();
  refused_.clear();
  recounting_.clear();
}

size_t LiveRollups::Entries(const Rollup& r) {
  size_t n = r.node.size();
  for (const auto& counts : r.schools) n += counts.size();
  for (const auto& level : r.regions)
    for (const auto& [code, counts] : level) n += counts.size();
  return n;
}

size_t LiveRollups::MemoryBytes() const {
  std::lock_guard lock(mutex_);
  size_t bytes = 0;
  for (const auto& [name, r] : rollups_)
    bytes += Entries(*r) * sizeof(Counts::value_type) + r->schools.size() * sizeof(Counts);
  return bytes;
}

}  // namespace nemis::stats
