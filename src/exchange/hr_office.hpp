// The adapter to the human-resources department's staff records (人社部门 事业单位人员信息,
// or the department's gateway in front of it): its change feed read a page at a time for the
// staff sync (staff/hr_sync.hpp). NEMIS speaks this interface, documented in
// docs/exchange.md §5g:
//
//   POST <hr.url>
//   Authorization: Bearer <the token in hr.token_file>
//   {"requestId": "...", "after": "<cursor, \"\" from the beginning>", "limit": 500}
//   200 {"records": [{"idNumber": "...", "name": "...", "unitCode": "<学校标识码>",
//                     "post": "专业技术岗位", "title": "一级教师", "status": "在岗",
//                     "changedAt": "2026-12-01T08:00:00Z"}, ...],
//        "next": "<cursor>", "more": true|false}
#pragma once

#include <string>
#include <string_view>

#include "exchange/department_call.hpp"
#include "staff/hr_feed.hpp"

namespace nemis::exchange {

/// The service as messages name it.
inline constexpr std::string_view kHrOfficeName = "人社部门人员信息接口";

/// The feed at `endpoint.url`. Its errors: "peer_unavailable", "peer_refused" (as
/// department_call.hpp tells them), "bad_answer" (not the answer above).
staff::ReadHrChanges HttpHrOffice(DepartmentEndpoint endpoint);

}  // namespace nemis::exchange
