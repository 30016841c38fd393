#include "cli/http_change_source.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "exchange/batch_envelope.hpp"
#include "exchange/node_request.hpp"
#include "http/client.hpp"

namespace nemis::cli {
namespace {

// The province's error answer as an Error of the same kind and code.
Error RemoteError(const http::ClientResponse& r, const std::string& source) {
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  std::string code = "peer_error", message = "HTTP " + std::to_string(r.status);
  if (j.is_object() && j.contains("error") && j["error"].is_object()) {
    code = j["error"].value("code", code);
    message = j["error"].value("message", message);
  }
  const ErrorKind kind = r.status == 401 || r.status == 403 ? ErrorKind::kForbidden
                         : r.status >= 500                  ? ErrorKind::kUnavailable
                                                            : ErrorKind::kBadRequest;
  return Error{kind, code, "节点 " + source + " 拒绝：" + message, {}};
}

class HttpChangeSource : public exchange::ChangeSource {
 public:
  HttpChangeSource(exchange::NodeIdentity self, std::string source_code, std::string base_url,
                   exchange::PayloadEncoding encoding)
      : self_(std::move(self)),
        source_code_(std::move(source_code)),
        base_url_(std::move(base_url)),
        format_(exchange::FormatName(encoding)) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  }

  Result<exchange::RemoteBatch> Fetch(int64_t after, int64_t limit) override {
    // A province that does not know the parameter sends v1.
    const std::string target = "/exchange/v1/changes?after=" + std::to_string(after) +
                               "&limit=" + std::to_string(limit) + "&format=" + format_;
    http::ClientRequest req;
    req.url = base_url_ + target;
    req.tls = self_.tls_client;        // for an https:// source: mutual TLS
    req.tls_peer_name = source_code_;  // and the certificate must be that province's
    req.headers = exchange::SignNodeRequest(self_, source_code_, "GET", target, "",
                                            Clock::System().UnixSeconds());
    // Bounds how long a stopping node waits for a fetch on its way, too.
    req.timeout = std::chrono::seconds(60);
    NEMIS_ASSIGN_OR_RETURN(http::ClientResponse r, http::Fetch(req));
    if (r.status != 200) return RemoteError(r, source_code_);
    exchange::RemoteBatch batch;
    batch.envelope = std::move(r.body);
    auto pem = crypto::Base64Decode(r.Header(exchange::kCertificateHeader).value_or(""));
    if (pem.ok()) batch.certificate = std::move(*pem);
    const std::string head = r.Header("X-Nemis-Head").value_or("0");
    batch.head = std::strtoll(head.c_str(), nullptr, 10);
    return batch;
  }

 private:
  const exchange::NodeIdentity self_;
  const std::string source_code_;
  std::string base_url_;
  const std::string format_;
};

}  // namespace

std::unique_ptr<exchange::ChangeSource> MakeHttpChangeSource(exchange::NodeIdentity self,
                                                             std::string source_code,
                                                             std::string base_url,
                                                             exchange::PayloadEncoding encoding) {
  return std::make_unique<HttpChangeSource>(std::move(self), std::move(source_code),
                                            std::move(base_url), encoding);
}

}  // namespace nemis::cli
