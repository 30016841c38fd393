// The adapter to the population register (公安人口基础信息库) for the population check
// (registry/quality/population_check.hpp): a batch of resident IDs and names sent, a verdict
// for each returned. The register's interface is the department's; NEMIS speaks this one,
// documented in docs/exchange.md §9, to the register or to the gateway in front of it:
//
//   POST <population.url>
//   Authorization: Bearer <the token in population.token_file>
//   {"requestId": "...", "persons": [{"idNumber": "...", "name": "..."}, ...]}
//   200 {"verdicts": [{"idNumber": "...", "name": "...", "verdict": "一致"|"查无此人"|"姓名不符"}]}
//
// Nothing else of a student is sent, and the IDs travel only in the body (never in a URL or
// header, which proxies log).
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"
#include "exchange/department_call.hpp"
#include "registry/quality/population_check.hpp"

namespace nemis::exchange {

/// The service as messages name it.
inline constexpr std::string_view kPopulationRegisterName = "人口信息比对服务";

/// The register at `endpoint.url`. Its errors: "peer_unavailable" (503: not reachable, timed
/// out, answered 5xx or 429), "peer_refused" (the register refused the request: 4xx, e.g. a
/// wrong token; the message carries its status), "bad_answer" (not the answer above).
registry::quality::VerifyPersons HttpPopulationRegister(DepartmentEndpoint endpoint);

}  // namespace nemis::exchange
