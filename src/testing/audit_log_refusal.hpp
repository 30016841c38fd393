// SQL that makes every append to the audit log fail, as a full disk or a lost table would,
// and SQL that undoes it: for tests of what the node does when it cannot audit. On
// PostgreSQL a write appends to audit_pending (audit_log.hpp), so that is refused.
#pragma once

#include <string>

namespace nemis::testing {

inline std::string RefuseAuditAppendsSql(bool postgres) {
  if (!postgres) {
    return "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log "
           "BEGIN SELECT RAISE(ABORT, 'audit log refused by the test'); END;";
  }
  return "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS "
         "$$ BEGIN RAISE EXCEPTION 'audit log refused by the test'; END $$;"
         "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_pending FOR EACH ROW EXECUTE FUNCTION refuse_audit();";
}

inline std::string AllowAuditAppendsSql(bool postgres) {
  return postgres ? "DROP TRIGGER refuse_audit ON audit_pending; DROP FUNCTION refuse_audit();"
                  : "DROP TRIGGER refuse_audit;";
}

}  // namespace nemis::testing
