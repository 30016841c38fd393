#include "exchange/population_register.hpp"

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "exchange/department_call.hpp"

namespace nemis::exchange {
namespace {

using registry::quality::PersonToCheck;
using registry::quality::PopulationVerdict;

DepartmentService Service(const DepartmentEndpoint& endpoint) {
  return {kPopulationRegisterName, "population", endpoint};
}

Error BadAnswer(const std::string& what) {
  return BadDepartmentAnswer(kPopulationRegisterName, what);
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

Result<std::vector<PopulationVerdict>> Ask(const DepartmentEndpoint& endpoint,
                                           std::span<const PersonToCheck> persons) {
  NEMIS_ASSIGN_OR_RETURN(std::string answer,
                         PostToDepartment(Service(endpoint), RequestBody(persons)));
  return ParseAnswer(answer);
}

}  // namespace

registry::quality::VerifyPersons HttpPopulationRegister(DepartmentEndpoint endpoint) {
  return [endpoint = std::move(endpoint)](std::span<const PersonToCheck> persons) {
    return Ask(endpoint, persons);
  };
}

}  // namespace nemis::exchange
