// A SchoolLookup reading the store through an open connection, caching what it read.
// A store that fails is not "no such school": the failure is kept for the caller to
// answer with (503 store_unavailable), never turned into an unknown_school refusal.
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
  /// The first store error a lookup met (Find returned null for it), or ok.
  const Status& status() const { return status_; }

 private:
  db::Connection& c_;
  mutable Status status_;
  mutable std::map<std::string, std::optional<org::Institution>, std::less<>> cache_;
};

}  // namespace nemis::registry::internal
