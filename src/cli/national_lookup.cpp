#include "cli/national_lookup.hpp"

#include "base/date.hpp"
#include "crypto/encoding.hpp"
#include "exchange/batch_envelope.hpp"
#include "exchange/node_request.hpp"
#include "http/client.hpp"

namespace nemis::cli {
namespace {

constexpr std::string_view kTarget = "/exchange/v1/students/lookup";

// The national node's sealed answer, checked: its certificate from the CA, its signature.
Result<nlohmann::json> OpenAnswer(db::Database& db, const exchange::NodeIdentity& self,
                                  const http::ClientResponse& res) {
  auto pem = crypto::Base64Decode(res.Header(exchange::kCertificateHeader).value_or(""));
  if (!pem.ok()) return Error::BadRequest("bad_answer", "国家节点的应答没有证书");
  NEMIS_ASSIGN_OR_RETURN(auto certificate, crypto::Sm2Certificate::FromPem(*pem));
  const int64_t now = Clock::System().UnixSeconds();
  NEMIS_TRY(db.WithReader([&](db::Connection& c) {
    return exchange::TrustNode(c, self, certificate, "000000", now);
  }));
  NEMIS_ASSIGN_OR_RETURN(auto opened, exchange::OpenBatch(res.body, self.code,
                                                          certificate.PublicKey(), self.key));
  return nlohmann::json::parse(opened.payload, nullptr, false);
}

Error Refusal(const http::ClientResponse& res) {
  nlohmann::json j = nlohmann::json::parse(res.body, nullptr, false);
  std::string message = j.is_object() && j.contains("error") && j["error"].is_object()
                            ? j["error"].value("message", "")
                            : "";
  if (message.empty()) message = "HTTP " + std::to_string(res.status);
  return Error{ErrorKind::kUnavailable, "peer_refused", "国家节点拒绝查询：" + message, {}};
}

}  // namespace

Result<std::optional<nlohmann::json>> AskNationalNode(db::Database& db,
                                                      const exchange::NodeIdentity& self,
                                                      const std::string& national_url,
                                                      const nlohmann::json& query) {
  http::ClientRequest req;
  req.method = "POST";
  req.body = query.dump();
  req.url = national_url + std::string(national_url.ends_with('/') ? kTarget.substr(1) : kTarget);
  req.headers = exchange::SignNodeRequest(self, "000000", "POST", std::string(kTarget), req.body,
                                          Clock::System().UnixSeconds());
  NEMIS_ASSIGN_OR_RETURN(http::ClientResponse res, http::Fetch(req));
  if (res.status != 200) return Refusal(res);
  NEMIS_ASSIGN_OR_RETURN(nlohmann::json answer, OpenAnswer(db, self, res));
  if (!answer.is_object()) return Error::BadRequest("bad_answer", "国家节点的应答不是 JSON 对象");
  if (!answer.value("found", false)) return std::optional<nlohmann::json>();
  return std::optional<nlohmann::json>(answer["student"]);
}

}  // namespace nemis::cli
