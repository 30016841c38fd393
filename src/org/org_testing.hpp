// Test helper for the modules above org: a migrated store holding the Guangdong divisions
// (GB/T 2260) and one primary school, 天河区第一小学 (2144000001) in 天河区 (440106).
#pragma once

#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"

namespace nemis::org::testing {

inline Status SeedGuangdongWithOneSchool(db::Database& db) {
  NEMIS_TRY(db::Migrate(db));
  OrgStore orgs(db);
  NEMIS_TRY(orgs.SeedDivisions("440000"));
  InstitutionInput school;
  school.code = "2144000001";
  school.parent_code = "440106";
  school.name = "天河区第一小学";
  school.school_type = "211";
  NEMIS_TRY(orgs.Create(Scope::Everything(), school));
  return {};
}

}  // namespace nemis::org::testing
