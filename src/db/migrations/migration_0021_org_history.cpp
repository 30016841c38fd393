// The organisation tree as it was (stats/as_of_projection.hpp): every state of an
// institution's statistical attributes (its code, level and place in the tree, its type,
// urban-rural class and whether it is open) from the moment it was written (updated_at) until
// the next, so that a form as of last 1 September counts a school where it was then after
// it has moved county, changed its urban-rural class or closed. Written by triggers on org,
// as the registry's history (migration 19). An institution's state from before this
// migration is known only as its current row: recorded as of its creation.
#include <string_view>

#include "db/migrations/migrate.hpp"

namespace nemis::db {
namespace {

#define NEMIS_ORG_HISTORY_COLUMNS                                                            \
  "code, level, parent_code, province_code, city_code, county_code, category, school_type, " \
  "urban_rural, status"
#define NEMIS_ORG_HISTORY_NEW                                                                 \
  "NEW.code, NEW.level, NEW.parent_code, NEW.province_code, NEW.city_code, NEW.county_code, " \
  "NEW.category, NEW.school_type, NEW.urban_rural, NEW.status"
#define NEMIS_ORG_HISTORY_OLD                                                                 \
  "OLD.code, OLD.level, OLD.parent_code, OLD.province_code, OLD.city_code, OLD.county_code, " \
  "OLD.category, OLD.school_type, OLD.urban_rural, OLD.status"

#define NEMIS_ORG_HISTORY_TABLE                                                              \
  "CREATE TABLE org_history (\n"                                                             \
  "  id {{id}},\n"                                                                           \
  "  org_id BIGINT NOT NULL,\n"                                                              \
  "  valid_from TEXT NOT NULL,\n"                                                            \
  "  code TEXT NOT NULL, level SMALLINT NOT NULL, parent_code TEXT, province_code TEXT,\n"   \
  "  city_code TEXT, county_code TEXT, category TEXT, school_type TEXT, urban_rural TEXT,\n" \
  "  status TEXT NOT NULL\n"                                                                 \
  ");\n"                                                                                     \
  "CREATE INDEX org_history_org ON org_history (org_id, valid_from);\n"                      \
  "INSERT INTO org_history (org_id, valid_from, " NEMIS_ORG_HISTORY_COLUMNS                  \
  ") SELECT id, created_at, " NEMIS_ORG_HISTORY_COLUMNS " FROM org;\n"

constexpr std::string_view kSqlite = NEMIS_ORG_HISTORY_TABLE
    "CREATE TRIGGER org_history_insert AFTER INSERT ON org BEGIN\n"
    "  INSERT INTO org_history (org_id, valid_from, " NEMIS_ORG_HISTORY_COLUMNS
    ")\n"
    "  VALUES (NEW.id, NEW.updated_at, " NEMIS_ORG_HISTORY_NEW
    ");\n"
    "END;\n"
    "CREATE TRIGGER org_history_update AFTER UPDATE ON org\n"
    "WHEN (" NEMIS_ORG_HISTORY_OLD ") IS NOT (" NEMIS_ORG_HISTORY_NEW
    ") BEGIN\n"
    "  INSERT INTO org_history (org_id, valid_from, " NEMIS_ORG_HISTORY_COLUMNS
    ")\n"
    "  VALUES (NEW.id, NEW.updated_at, " NEMIS_ORG_HISTORY_NEW
    ");\n"
    "END;\n";

constexpr std::string_view kPostgres = NEMIS_ORG_HISTORY_TABLE
    "CREATE FUNCTION org_history_write() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  INSERT INTO org_history (org_id, valid_from, " NEMIS_ORG_HISTORY_COLUMNS
    ")\n"
    "  VALUES (NEW.id, NEW.updated_at, " NEMIS_ORG_HISTORY_NEW
    ");\n"
    "  RETURN NULL;\n"
    "END $$;\n"
    "CREATE TRIGGER org_history_insert AFTER INSERT ON org\n"
    "  FOR EACH ROW EXECUTE FUNCTION org_history_write();\n"
    "CREATE TRIGGER org_history_update AFTER UPDATE ON org FOR EACH ROW\n"
    "  WHEN ((" NEMIS_ORG_HISTORY_OLD ") IS DISTINCT FROM (" NEMIS_ORG_HISTORY_NEW
    "))\n"
    "  EXECUTE FUNCTION org_history_write();\n";

#undef NEMIS_ORG_HISTORY_TABLE
#undef NEMIS_ORG_HISTORY_OLD
#undef NEMIS_ORG_HISTORY_NEW
#undef NEMIS_ORG_HISTORY_COLUMNS

}  // namespace

Migration Migration0021OrgHistory() {
  Migration portable = PortableMigration(21, "org_history", kSqlite);
  Migration pg = PortableMigration(21, "org_history", kPostgres);
  portable.postgres = pg.postgres;
  return portable;
}

}  // namespace nemis::db
