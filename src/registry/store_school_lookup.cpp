#include "registry/store_school_lookup.hpp"

#include "org/org_store.hpp"

namespace nemis::registry::internal {

const org::Institution* StoreSchoolLookup::Find(std::string_view code) const {
  auto it = cache_.find(code);
  if (it == cache_.end()) {
    auto loaded = org::OrgStore::Load(c_, code);
    if (!loaded.ok()) {
      if (status_.ok()) status_ = loaded.error();
      return nullptr;  // not cached: the store did not answer
    }
    std::optional<org::Institution> school;
    if (*loaded && (*loaded)->level == org::OrgLevel::kSchool) school = std::move(**loaded);
    it = cache_.emplace(std::string(code), std::move(school)).first;
  }
  return it->second ? &*it->second : nullptr;
}

}  // namespace nemis::registry::internal
