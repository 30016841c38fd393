#include "registry/school_lookup.hpp"

namespace nemis::registry {

SchoolMap::SchoolMap(std::vector<org::Institution> schools) {
  for (auto& s : schools) Add(std::move(s));
}

void SchoolMap::Add(org::Institution school) {
  std::string code = school.code;
  by_code_[code] = std::make_unique<org::Institution>(std::move(school));
}

const org::Institution* SchoolMap::Find(std::string_view code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : it->second.get();
}

}  // namespace nemis::registry
