// Registering schools from a roster at a data-centre load (`nemis import students`
// with school columns): a school code the store does not hold, on rows that carry
// the school's name, type and division, becomes a new school — validated like any
// other institution and inserted before the first student batch. Never used by the
// HTTP import: schools are maintained by bureau staff.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "importer/csv_batch.hpp"
#include "importer/roster_row.hpp"
#include "org/scope.hpp"
#include "registry/school_lookup.hpp"

namespace nemis::importer {

class SchoolRegistrar {
 public:
  SchoolRegistrar(db::Database& db, registry::SchoolMap& schools, const org::Scope& scope)
      : db_(db), schools_(schools), scope_(scope) {}

  /// Looks for unknown schools in a batch (before its rows are validated); valid
  /// ones are added to the school map as provisional schools, or, after InsertThrough,
  /// inserted at once. Fails only when such an insert fails.
  Status Observe(const RecordBatch& batch, const RosterLayout& layout);

  /// From now on a school is inserted as soon as it is found, through `writer` (inside
  /// the load's transaction), so that validation sees its stored id.
  void InsertThrough(db::Connection& writer, std::string now) {
    writer_ = &writer;
    now_ = std::move(now);
  }

  const std::vector<org::Institution>& pending() const { return pending_; }
  /// Why schools could not be registered, one line each.
  const std::vector<std::string>& refusals() const { return refusals_; }

 private:
  Status Consider(std::string_view code, std::string_view name, std::string_view type,
                  std::string_view division);
  const std::optional<org::Institution>& Parent(const std::string& code);

  db::Database& db_;
  registry::SchoolMap& schools_;
  const org::Scope& scope_;
  std::set<std::string, std::less<>> refused_;
  std::map<std::string, std::optional<org::Institution>> parents_;
  std::vector<org::Institution> pending_;
  std::vector<std::string> refusals_;
  db::Connection* writer_ = nullptr;
  std::string now_;
};

}  // namespace nemis::importer
