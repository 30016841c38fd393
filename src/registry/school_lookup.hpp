// How validation finds the school a student enrols in: the importer preloads the
// schools of its scope into memory; single registrations read the store.
#pragma once

#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "org/institution.hpp"

namespace nemis::registry {

class SchoolLookup {
 public:
  virtual ~SchoolLookup() = default;
  /// The school with this code, or null when the store holds none (in scope).
  virtual const org::Institution* Find(std::string_view code) const = 0;
};

/// An in-memory set of schools. Thread-safe: an import adds schools it registers
/// while validation threads look others up. Entries are never removed or changed,
/// so returned pointers stay valid.
class SchoolMap : public SchoolLookup {
 public:
  explicit SchoolMap(std::vector<org::Institution> schools);
  const org::Institution* Find(std::string_view code) const override;
  /// Adds a school unless one with its code is present; returns the stored one.
  const org::Institution* Add(org::Institution school);

 private:
  // Transparent hashing: lookups by string_view allocate nothing (hot in imports).
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<org::Institution>, Hash, std::equal_to<>>
      by_code_;
};

}  // namespace nemis::registry
