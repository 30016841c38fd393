// The organisation tree in the store: lookups by code, children, subtree search,
// creation and optimistic-concurrency updates, all inside the caller's scope.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "org/institution.hpp"
#include "org/scope.hpp"

namespace nemis::org {

struct OrgPage {
  std::vector<Institution> items;
  std::optional<std::string> next;  // pass as `after` for the next page
};

struct OrgSearch {
  std::string within;  // code of the subtree root; empty: the caller's scope
  std::string text;    // part of the name, or a code prefix (digits)
  std::optional<OrgLevel> level;
  int limit = 50;
  std::string after;
};

class OrgStore {
 public:
  explicit OrgStore(db::Database& db, const Clock& clock = Clock::System())
      : db_(db), clock_(clock) {}

  /// Inserts the national root and the GB/T 2260 divisions (all provinces for the
  /// national node "000000", otherwise the node's province) that are missing.
  /// Returns how many were inserted.
  Result<int> SeedDivisions(std::string_view node_code);

  Result<Institution> Get(const Scope& scope, std::string_view code);
  Result<OrgPage> Children(const Scope& scope, std::string_view code, int limit,
                           std::string_view after);
  Result<OrgPage> Search(const Scope& scope, const OrgSearch& query);
  /// `attachment` (the request's audit entry) commits with the write; so for Update.
  Result<Institution> Create(const Scope& scope, const InstitutionInput& input,
                             db::WriteAttachment* attachment = nullptr);
  /// Applies the given fields if the stored version equals `expected_version`.
  Result<Institution> Update(const Scope& scope, std::string_view code,
                             const InstitutionInput& input, int64_t expected_version,
                             db::WriteAttachment* attachment = nullptr);

  /// Moves the school `code` (at `expected_version`, else 412) with its students under the
  /// county `parent_code` of its province (学校隶属关系调整), both within `scope` (else 404),
  /// each row written to the change log. Refusals, validation_failed: code not_a_school;
  /// parentCode not_school_parent (not a county, or a city with counties), closed,
  /// other_province, same_parent.
  Result<Institution> MoveSchool(const Scope& scope, std::string_view code,
                                 std::string_view parent_code, int64_t expected_version,
                                 db::WriteAttachment* attachment = nullptr);

  /// Reads one institution by code inside an open transaction (nullopt when absent).
  static Result<std::optional<Institution>> Load(db::Connection& c, std::string_view code);
  /// Every open school in `scope`, for bulk work such as imports.
  static Result<std::vector<Institution>> LoadSchools(db::Connection& c, const Scope& scope);
  /// Inserts a validated institution and logs the change (inside a transaction).
  static Result<Institution> Insert(db::Connection& c, Institution inst, std::string_view now);

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace nemis::org
