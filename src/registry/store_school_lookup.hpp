// A SchoolLookup reading the store through an open connection, caching what it read.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "db/database.hpp"
#include "registry/school_lookup.hpp"

namespace nemis::registry::internal {

class StoreSchoolLookup : public SchoolLookup {
 public:
  explicit StoreSchoolLookup(db::Connection& c) : c_(c) {}
  const org::Institution* Find(std::string_view code) const override;

 private:
  db::Connection& c_;
  mutable std::map<std::string, std::optional<org::Institution>, std::less<>> cache_;
};

}  // namespace nemis::registry::internal
