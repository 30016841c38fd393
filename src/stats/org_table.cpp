#include "stats/org_table.hpp"

namespace nemis::stats {

org::Subtree ChildOf(const org::Institution& school, org::OrgLevel root_level) {
  using org::OrgLevel;
  const auto first =
      [&](std::initializer_list<std::pair<OrgLevel, const std::optional<std::string>*>> codes)
      -> org::Subtree {
    for (const auto& [level, code] : codes)
      if (*code) return {level, **code, 0};
    return {OrgLevel::kSchool, school.code, 0};
  };
  switch (root_level) {
    case OrgLevel::kNational:
      return first({{OrgLevel::kProvince, &school.province_code}});
    case OrgLevel::kProvince:
      return first(
          {{OrgLevel::kCity, &school.city_code}, {OrgLevel::kCounty, &school.county_code}});
    case OrgLevel::kCity:
      return first({{OrgLevel::kCounty, &school.county_code}});
    default:
      return {OrgLevel::kSchool, school.code, 0};
  }
}

void OrgTable::Put(OrgEntry entry) {
  const int64_t id = entry.institution.id;
  if (id < 0) return;
  if (static_cast<size_t>(id) >= by_id_.size()) by_id_.resize(static_cast<size_t>(id) + 1);
  auto& slot = by_id_[static_cast<size_t>(id)];
  if (slot && slot->institution.code != entry.institution.code)
    id_of_code_.erase(slot->institution.code);
  id_of_code_[entry.institution.code] = id;
  slot = std::move(entry);
}

const OrgEntry* OrgTable::ById(int64_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= by_id_.size()) return nullptr;
  const auto& slot = by_id_[static_cast<size_t>(id)];
  return slot ? &*slot : nullptr;
}

const OrgEntry* OrgTable::ByCode(std::string_view code) const {
  auto it = id_of_code_.find(std::string(code));
  return it == id_of_code_.end() ? nullptr : ById(it->second);
}

size_t OrgTable::MemoryBytes() const {
  size_t bytes = by_id_.capacity() * sizeof(std::optional<OrgEntry>);
  for (const auto& slot : by_id_)
    if (slot) bytes += slot->institution.name.capacity() + slot->institution.code.capacity();
  return bytes + id_of_code_.size() * 64;  // the code index: a node and its key
}

}  // namespace nemis::stats
