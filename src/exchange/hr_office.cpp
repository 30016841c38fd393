#include "exchange/hr_office.hpp"

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "exchange/department_call.hpp"

namespace nemis::exchange {
namespace {

using staff::HrPage;
using staff::HrStaffRecord;

DepartmentService Service(const DepartmentEndpoint& endpoint) {
  return {kHrOfficeName, "hr", endpoint};
}

Error BadAnswer(const std::string& what) { return BadDepartmentAnswer(kHrOfficeName, what); }

bool Text(const nlohmann::json& j, const char* key, std::string& out) {
  if (!j.contains(key) || !j[key].is_string()) return false;
  out = j[key].get<std::string>();
  return true;
}

Result<HrPage> ParseAnswer(const std::string& body) {
  const nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  HrPage page;
  if (!j.is_object() || !j.contains("records") || !j["records"].is_array() ||
      !Text(j, "next", page.next) || !j.contains("more") || !j["more"].is_boolean())
    return BadAnswer("不是 {\"records\": [...], \"next\": \"…\", \"more\": …}");
  page.more = j["more"].get<bool>();
  for (const nlohmann::json& r : j["records"]) {
    HrStaffRecord record;
    if (!r.is_object() || !Text(r, "idNumber", record.id_number) || !Text(r, "name", record.name) ||
        !Text(r, "unitCode", record.unit_code) || !Text(r, "post", record.post) ||
        !Text(r, "title", record.title) || !Text(r, "status", record.status) ||
        !Text(r, "changedAt", record.changed_at))
      return BadAnswer("第 " + std::to_string(page.records.size() + 1) +
                       " 条记录缺少 idNumber、name、unitCode、post、title、status 或 changedAt");
    page.records.push_back(std::move(record));
  }
  return page;
}

}  // namespace

staff::ReadHrChanges HttpHrOffice(DepartmentEndpoint endpoint) {
  return [endpoint = std::move(endpoint)](const std::string& after, int limit) -> Result<HrPage> {
    const std::string body = nlohmann::json{
        {"requestId", crypto::ToHex(crypto::RandomBytes(16))},
        {"after", after},
        {"limit", limit}}.dump();
    NEMIS_ASSIGN_OR_RETURN(std::string answer, PostToDepartment(Service(endpoint), body));
    return ParseAnswer(answer);
  };
}

}  // namespace nemis::exchange
