#include "api/student_viewer_of.hpp"

#include "api/audit_trail.hpp"
#include "identity/permissions.hpp"

namespace nemis::api {

registry::StudentViewer StudentViewerOf(const http::Request& req, const Caller& caller) {
  registry::StudentViewer viewer;
  viewer.scope = caller.scope;
  if (caller.principal)
    viewer.sensitive = caller.principal->ScopeFor(identity::perm::kStudentViewSensitive);
  viewer.reader = AuditEntryFor(req, &caller, {});
  viewer.method = req.method;
  return viewer;
}

}  // namespace nemis::api
