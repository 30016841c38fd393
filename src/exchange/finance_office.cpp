#include "exchange/finance_office.hpp"

#include <nlohmann/json.hpp>

#include "aid/award_fields.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "exchange/department_call.hpp"

namespace nemis::exchange {
namespace {

using aid::AidPayment;
using aid::AidPaymentResult;

DepartmentService Service(const DepartmentEndpoint& endpoint) {
  return {kFinanceOfficeName, "finance", endpoint};
}

Error BadAnswer(const std::string& what) { return BadDepartmentAnswer(kFinanceOfficeName, what); }

std::string RequestBody(std::span<const AidPayment> payments) {
  nlohmann::json list = nlohmann::json::array();
  for (const AidPayment& p : payments)
    list.push_back({{"paymentId", p.payment_id},
                    {"idNumber", p.id_number},
                    {"name", p.name},
                    {"programme", p.programme},
                    {"programmeName", p.programme_name},
                    {"schoolYear", p.school_year},
                    {"amount", aid::FormatYuan(p.amount_fen)},
                    {"schoolCode", p.school_code}});
  return nlohmann::json{{"requestId", crypto::ToHex(crypto::RandomBytes(16))},
                        {"payments", std::move(list)}}
      .dump();
}

// A string member, or "" when absent; false when present but not a string.
bool OptionalText(const nlohmann::json& j, const char* key, std::string& out) {
  if (!j.contains(key)) return true;
  if (!j[key].is_string()) return false;
  out = j[key].get<std::string>();
  return true;
}

Result<std::vector<AidPaymentResult>> ParseAnswer(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("results") || !j["results"].is_array())
    return BadAnswer("不是 {\"results\": [...]}");
  std::vector<AidPaymentResult> out;
  out.reserve(j["results"].size());
  for (const nlohmann::json& r : j["results"]) {
    AidPaymentResult result;
    if (!r.is_object() || !r.contains("paymentId") || !r["paymentId"].is_string() ||
        !r.contains("result") || !r["result"].is_string() ||
        !OptionalText(r, "reference", result.reference) ||
        !OptionalText(r, "reason", result.reason))
      return BadAnswer("第 " + std::to_string(out.size() + 1) + " 个结果缺少 paymentId 或 result");
    result.payment_id = r["paymentId"].get<std::string>();
    result.result = r["result"].get<std::string>();
    out.push_back(std::move(result));
  }
  return out;
}

// A payment id sent again is never paid twice, so any failure here can be retried as is.
Result<std::vector<AidPaymentResult>> Send(const DepartmentEndpoint& endpoint,
                                           std::span<const AidPayment> payments) {
  NEMIS_ASSIGN_OR_RETURN(std::string answer,
                         PostToDepartment(Service(endpoint), RequestBody(payments)));
  return ParseAnswer(answer);
}

}  // namespace

aid::PayAwards HttpFinanceOffice(DepartmentEndpoint endpoint) {
  return [endpoint = std::move(endpoint)](std::span<const AidPayment> payments) {
    return Send(endpoint, payments);
  };
}

}  // namespace nemis::exchange
