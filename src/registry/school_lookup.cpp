#include "registry/school_lookup.hpp"

#include <mutex>

namespace nemis::registry {

SchoolMap::SchoolMap(std::vector<org::Institution> schools) {
  for (auto& s : schools) Add(std::move(s));
}

const org::Institution* SchoolMap::Add(org::Institution school) {
  std::unique_lock lock(mutex_);
  auto& slot = by_code_[school.code];
  if (!slot) slot = std::make_unique<org::Institution>(std::move(school));
  return slot.get();
}

const org::Institution* SchoolMap::Find(std::string_view code) const {
  std::shared_lock lock(mutex_);
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : it->second.get();
}

}  // namespace nemis::registry
