#include "cli/national_client.hpp"

#include "base/date.hpp"
#include "crypto/encoding.hpp"
#include "exchange/batch_envelope.hpp"
#include "exchange/node_request.hpp"
#include "http/client.hpp"

namespace nemis::cli {
namespace {

constexpr std::string_view kLookup = "/exchange/v1/students/lookup";
constexpr std::string_view kConflicts = "/exchange/v1/conflicts";
constexpr std::string_view kVerdicts = "/exchange/v1/conflicts/verdicts";
constexpr std::string_view kTransfers = "/exchange/v1/transfers";
constexpr std::string_view kRecovery = "/exchange/v1/recovery";
constexpr std::string_view kDivisions = "/exchange/v1/divisions";
constexpr std::string_view kTlsCertificate = "/exchange/v1/tls-certificate";

// The national node's sealed answer, checked: its certificate from the CA, its signature.
Result<std::string> OpenAnswer(db::Database& db, const exchange::NodeIdentity& self,
                               const http::ClientResponse& res) {
  auto pem = crypto::Base64Decode(res.Header(exchange::kCertificateHeader).value_or(""));
  if (!pem.ok()) return Error::BadRequest("bad_answer", "国家节点的应答没有证书");
  NEMIS_ASSIGN_OR_RETURN(auto certificate, crypto::Sm2Certificate::FromPem(*pem));
  const int64_t now = Clock::System().UnixSeconds();
  NEMIS_TRY(db.WithReader(
      [&](db::Connection& c) { return exchange::TrustNode(c, self, certificate, "000000", now); }));
  NEMIS_ASSIGN_OR_RETURN(
      auto opened, exchange::OpenBatch(res.body, self.code, certificate.PublicKey(), self.key));
  return std::move(opened.payload);
}

Error Refusal(const http::ClientResponse& res) {
  nlohmann::json j = nlohmann::json::parse(res.body, nullptr, false);
  std::string message = j.is_object() && j.contains("error") && j["error"].is_object()
                            ? j["error"].value("message", "")
                            : "";
  if (message.empty()) message = "HTTP " + std::to_string(res.status);
  return Error{ErrorKind::kUnavailable, "peer_refused", "国家节点拒绝了请求：" + message, {}};
}

// A signed call to the national node at `url` and its opened answer.
Result<std::string> Call(db::Database& db, const exchange::NodeIdentity& self,
                         const std::string& url, const std::string& method, std::string_view target,
                         std::string body) {
  http::ClientRequest req;
  req.method = method;
  req.body = std::move(body);
  req.url = url + std::string(url.ends_with('/') ? target.substr(1) : target);
  req.tls = self.tls_client;  // for an https:// national node: mutual TLS, and its certificate
  req.tls_peer_name = "000000";
  req.headers = exchange::SignNodeRequest(self, "000000", method, std::string(target), req.body,
                                          Clock::System().UnixSeconds());
  NEMIS_ASSIGN_OR_RETURN(http::ClientResponse res, http::Fetch(req));
  if (res.status != 200) return Refusal(res);
  return OpenAnswer(db, self, res);
}

}  // namespace

Result<std::string> NationalNodeUrl(const std::string& flag, const Config& config) {
  std::string url = flag.empty() ? config.GetString("exchange.national") : flag;
  if (url.empty()) {
    return Error::BadRequest("not_configured", "请用 --national 或 exchange.national 指明国家节点");
  }
  return url;
}

Result<std::optional<nlohmann::json>> AskNationalNode(db::Database& db,
                                                      const exchange::NodeIdentity& self,
                                                      const std::string& national_url,
                                                      const nlohmann::json& query) {
  NEMIS_ASSIGN_OR_RETURN(std::string payload,
                         Call(db, self, national_url, "POST", kLookup, query.dump()));
  nlohmann::json answer = nlohmann::json::parse(payload, nullptr, false);
  if (!answer.is_object()) return Error::BadRequest("bad_answer", "国家节点的应答不是 JSON 对象");
  if (!answer.value("found", false)) return std::optional<nlohmann::json>();
  return std::optional<nlohmann::json>(answer["student"]);
}

Result<exchange::ReportedConflicts> FetchConflicts(db::Database& db,
                                                   const exchange::NodeIdentity& self,
                                                   const std::string& national_url) {
  NEMIS_ASSIGN_OR_RETURN(std::string payload, Call(db, self, national_url, "GET", kConflicts, ""));
  return exchange::ConflictsFromJson(payload);
}

Status ReportVerdicts(db::Database& db, const exchange::NodeIdentity& self,
                      const std::string& national_url,
                      const std::vector<exchange::ConflictVerdict>& verdicts) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& v : verdicts) list.push_back({{"id", v.conflict_id}, {"verdict", v.verdict}});
  NEMIS_TRY(Call(db, self, national_url, "POST", kVerdicts,
                 nlohmann::json{{"verdicts", std::move(list)}}.dump()));
  return {};
}

Result<exchange::TransferAnswer> ExchangeTransfers(db::Database& db,
                                                   const exchange::NodeIdentity& self,
                                                   const std::string& national_url,
                                                   const exchange::TransferPost& post) {
  NEMIS_ASSIGN_OR_RETURN(std::string payload, Call(db, self, national_url, "POST", kTransfers,
                                                   exchange::PostToJson(post)));
  return exchange::AnswerFromJson(payload);
}

Result<exchange::RecoveryPage> FetchRecoveryPage(db::Database& db,
                                                 const exchange::NodeIdentity& self,
                                                 const std::string& national_url,
                                                 std::string_view kind, int64_t after) {
  const nlohmann::json body = {
      {"kind", kind}, {"after", after}, {"limit", exchange::kRecoveryPageLimit}};
  NEMIS_ASSIGN_OR_RETURN(std::string payload,
                         Call(db, self, national_url, "POST", kRecovery, body.dump()));
  return exchange::RecoveryPageFromJson(payload);
}

Result<exchange::DivisionFeed> FetchDivisionChanges(db::Database& db,
                                                    const exchange::NodeIdentity& self,
                                                    const std::string& national_url,
                                                    int64_t after) {
  const std::string target = std::string(kDivisions) + "?after=" + std::to_string(after);
  NEMIS_ASSIGN_OR_RETURN(std::string payload, Call(db, self, national_url, "GET", target, ""));
  return exchange::DivisionFeedFromJson(payload);
}

exchange::NationalPoller::National NationalCalls(db::Database& db,
                                                 const exchange::NodeIdentity& self,
                                                 const std::string& national_url) {
  return {[&db, self, national_url] { return FetchConflicts(db, self, national_url); },
          [&db, self, national_url](const std::vector<exchange::ConflictVerdict>& verdicts) {
            return ReportVerdicts(db, self, national_url, verdicts);
          },
          [&db, self, national_url](const exchange::TransferPost& post) {
            return ExchangeTransfers(db, self, national_url, post);
          },
          [&db, self, national_url](int64_t after) {
            return FetchDivisionChanges(db, self, national_url, after);
          }};
}

Result<std::string> RequestTlsCertificate(db::Database& db, const exchange::NodeIdentity& self,
                                          const std::string& national_url,
                                          const std::string& public_key_pem) {
  NEMIS_ASSIGN_OR_RETURN(std::string payload,
                         Call(db, self, national_url, "POST", kTlsCertificate,
                              nlohmann::json{{"publicKey", public_key_pem}}.dump()));
  nlohmann::json answer = nlohmann::json::parse(payload, nullptr, false);
  if (!answer.is_object() || !answer.contains("certificate") ||
      !answer["certificate"].is_string()) {
    return Error::BadRequest("bad_answer", "国家节点的应答中没有证书");
  }
  return answer["certificate"].get<std::string>();
}

}  // namespace nemis::cli
