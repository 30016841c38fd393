#include "exchange/department_call.hpp"

#include "http/client.hpp"

namespace nemis::exchange {

Result<std::string> PostToDepartment(const DepartmentService& service, std::string body) {
  http::ClientRequest req;
  req.method = "POST";
  req.url = service.endpoint.url;
  req.body = std::move(body);
  req.timeout = service.endpoint.timeout;
  req.max_body_bytes = 64u << 20;
  if (!service.endpoint.token.empty())
    req.headers.emplace_back("Authorization", "Bearer " + service.endpoint.token);
  NEMIS_ASSIGN_OR_RETURN(http::ClientResponse res, http::Fetch(req));
  if (res.status == 200) return std::move(res.body);
  const std::string status = "HTTP " + std::to_string(res.status);
  if (res.status >= 500 || res.status == 429)
    return Error{ErrorKind::kUnavailable,
                 "peer_unavailable",
                 std::string(service.name) + "暂不可用（" + status + "），稍后再试",
                 {}};
  return Error{ErrorKind::kUnavailable,
               "peer_refused",
               std::string(service.name) + "拒绝了请求（" + status + "）：检查 " +
                   std::string(service.section) + ".url 和 " + std::string(service.section) +
                   ".token_file",
               {}};
}

Error BadDepartmentAnswer(std::string_view name, const std::string& what) {
  return Error{
      ErrorKind::kUnavailable, "bad_answer", std::string(name) + "的答复有误：" + what, {}};
}

}  // namespace nemis::exchange
