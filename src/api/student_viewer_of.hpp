// The caller as a reader of students (registry/student_viewer.hpp): the registry masks what
// the caller may not see and audits what it may.
#pragma once

#include "api/caller.hpp"
#include "http/http.hpp"
#include "registry/student_viewer.hpp"

namespace nemis::api {

/// The caller's scope, where it may see personal data whole (student.view_sensitive), and
/// the request as the audit log names a disclosure.
registry::StudentViewer StudentViewerOf(const http::Request& req, const Caller& caller);

}  // namespace nemis::api
