// One request to another department's service (population register, finance, ...): a JSON
// body POSTed with the bearer token the department issued this node, and its refusals and
// outages told apart the same way for every adapter, so an operator reads them alike.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace nemis::exchange {

/// Where a department's service is and how this node signs in to it: the settings
/// `<section>.url`, `.token_file` and `.timeout_ms`.
struct DepartmentEndpoint {
  std::string url;    // http://host:port/path
  std::string token;  // empty: no Authorization header
  std::chrono::milliseconds timeout{30000};
};

struct DepartmentService {
  std::string_view name;     // as errors name it, e.g. "人口信息比对服务"
  std::string_view section;  // the config section of its endpoint, e.g. "population"
  DepartmentEndpoint endpoint;
};

/// The body of the service's 200 answer to `body`. Errors: "peer_unavailable" (not
/// reachable, timed out, 5xx or 429), "peer_refused" (another status, e.g. 401 for a wrong
/// token or 403 for a used-up quota; the message carries it). Personal data in `body` goes
/// in the body only, never in the URL or a header.
Result<std::string> PostToDepartment(const DepartmentService& service, std::string body);

/// "bad_answer": the service `name` answered 200 with something that is not its
/// interface's answer.
Error BadDepartmentAnswer(std::string_view name, const std::string& what);

}  // namespace nemis::exchange
