#include "exchange/population_register.hpp"

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "http/client.hpp"

namespace nemis::exchange {
namespace {

using registry::quality::PersonToCheck;
using registry::quality::PopulationVerdict;

Error BadAnswer(const std::string& what) {
  return Error{ErrorKind::kUnavailable, "bad_answer", "人口信息比对服务的答复有误：" + what, {}};
}

std::string RequestBody(std::span<const PersonToCheck> persons) {
  nlohmann::json list = nlohmann::json::array();
  for (const PersonToCheck& p : persons)
    list.push_back({{"idNumber", p.id_number}, {"name", p.name}});
  return nlohmann::json{{"requestId", crypto::ToHex(crypto::RandomBytes(16))},
                        {"persons", std::move(list)}}
      .dump();
}

Result<std::vector<PopulationVerdict>> ParseAnswer(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("verdicts") || !j["verdicts"].is_array())
    return BadAnswer("不是 {\"verdicts\": [...]}");
  std::vector<PopulationVerdict> out;
  out.reserve(j["verdicts"].size());
  for (const nlohmann::json& v : j["verdicts"]) {
    if (!v.is_object() || !v.contains("idNumber") || !v["idNumber"].is_string() ||
        !v.contains("name") || !v["name"].is_string() || !v.contains("verdict") ||
        !v["verdict"].is_string())
      return BadAnswer("第 " + std::to_string(out.size() + 1) +
                       " 个结果缺少 idNumber、name 或 verdict");
    out.push_back({v["idNumber"].get<std::string>(), v["name"].get<std::string>(),
                   v["verdict"].get<std::string>()});
  }
  return out;
}

Result<std::vector<PopulationVerdict>> Ask(const PopulationRegisterSettings& settings,
                                           std::span<const PersonToCheck> persons) {
  http::ClientRequest req;
  req.method = "POST";
  req.url = settings.url;
  req.body = RequestBody(persons);
  req.timeout = settings.timeout;
  req.max_body_bytes = 64u << 20;
  if (!settings.token.empty())
    req.headers.emplace_back("Authorization", "Bearer " + settings.token);
  NEMIS_ASSIGN_OR_RETURN(http::ClientResponse res, http::Fetch(req));
  if (res.status == 200) return ParseAnswer(res.body);
  const std::string status = "HTTP " + std::to_string(res.status);
  if (res.status >= 500 || res.status == 429)
    return Error{ErrorKind::kUnavailable,
                 "peer_unavailable",
                 "人口信息比对服务暂不可用（" + status + "），稍后再试",
                 {}};
  return Error{
      ErrorKind::kUnavailable,
      "peer_refused",
      "人口信息比对服务拒绝了请求（" + status + "）：检查 population.url 和 population.token_file",
      {}};
}

}  // namespace

registry::quality::VerifyPersons HttpPopulationRegister(PopulationRegisterSettings settings) {
  return [settings = std::move(settings)](std::span<const PersonToCheck> persons) {
    return Ask(settings, persons);
  };
}

}  // namespace nemis::exchange
