// Mutual TLS between the nodes (issue 12 §1, exchange/node_tls.hpp): each node's TLS key
// certified by the national CA (`nemis node tls`: the national node by its own CA, the
// province by the national node over a signed request), both nodes serving the exchange on a
// TLS port (node.tls_port) and calling each other at https:// addresses. The national node
// pulls the province through TLS until it holds what the province holds; the province asks
// the national node about a student through TLS; neither takes a node call on its plain port
// any more; the connection's certificate must be the signer's and a revoked province is
// refused on the TLS port as on the plain one; and a node that would use TLS without a
// certificate does not start.
#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include "exchange/node_request.hpp"
#include "exchange_nodes.hpp"
#include "exchange_serve.hpp"
#include "exchange_store.hpp"
#include "free_port.hpp"
#include "http/client.hpp"
#include "process.hpp"

namespace nemis::it {
namespace {

constexpr int kStudents = 1200;

class ExchangeTlsTest : public ExchangeNodesTest {
 protected:
  static std::string Https(int port) { return "https://127.0.0.1:" + std::to_string(port); }

  Settings NationalOnTls(int tls_port) {
    Settings s = National();
    s["node.tls_port"] = std::to_string(tls_port);
    s["exchange.retry_max_ms"] = "1000";
    return s;
  }
  Settings ProvinceOnTls(int tls_port, int national_tls_port) {
    Settings s = Province();
    s["node.tls_port"] = std::to_string(tls_port);
    s["exchange.national"] = Https(national_tls_port);
    s["exchange.conflict_poll_ms"] = "500";
    return s;
  }
};

TEST_F(ExchangeTlsTest, TheNodesExchangeOverMutualTlsOnly) {
  Enrol();
  if (HasFatalFailure()) return;
  RunResult own = Ok({"node", "tls"}, National());
  EXPECT_NE(own.out.find("本节点 000000 的 TLS 证书已安装"), std::string::npos) << own.Describe();
  RunResult shown = Ok({"node", "show"}, National());
  EXPECT_NE(shown.out.find("TLS 证书（node_tls.crt）有效期至 "), std::string::npos)
      << shown.Describe();

  const int national_tls = FreePort();
  Serve national("national", NationalOnTls(national_tls), dir_.File("national-run"));
  national.Start();
  // The province's first TLS certificate comes over the plain port (it has none to show yet).
  RunResult asked = Ok({"node", "tls", "--national", national.Url()}, Province());
  EXPECT_NE(asked.out.find("本节点 440000 的 TLS 证书已安装"), std::string::npos)
      << asked.Describe();

  Ok({"gen", "--students", std::to_string(kStudents), "--seed", "5", "--db", ProvinceUrl()},
     Province());
  const int province_tls = FreePort();
  Serve province("province", ProvinceOnTls(province_tls, national_tls), dir_.File("province-run"));
  province.Start();
  national.Stop();
  Settings pulling = NationalOnTls(national_tls);
  pulling["exchange.sources"] = "440000=" + Https(province_tls);
  Serve national_pulling("national", pulling, dir_.File("national-run"));
  national_pulling.Start();

  const std::string want = Digest(Province());
  ASSERT_EQ(DigestCount(want, "students"), kStudents) << want;
  std::string got;
  EXPECT_TRUE(Eventually([&] { return (got = Digest(National())) == want; }))
      << "national digest:\n"
      << got << "national log:\n"
      << national_pulling.Logs();

  // The province asks the national node through TLS: answered.
  RunResult over_tls = Ok({"exchange", "lookup", "--national", Https(national_tls), "--id-number",
                           "11010519491231002X"},
                          Province());
  EXPECT_NE(over_tls.out.find("没有该学生"), std::string::npos) << over_tls.Describe();
  // The same question, signed, on the plain port: refused.
  RunResult plain = RunNemis({"exchange", "lookup", "--national", national_pulling.Url(),
                              "--id-number", "11010519491231002X"},
                             Province());
  EXPECT_EQ(plain.status.code, 1) << plain.Describe();
  EXPECT_NE(plain.err.find("双向 TLS 端口"), std::string::npos) << plain.Describe();
  // A client that is no node (plain HTTP to the TLS port) gets no answer at all.
  HttpClient stranger("127.0.0.1", province_tls);
  EXPECT_EQ(stranger.Get("/exchange/v1/changes?after=0").status, 0);

  national_pulling.Stop();
  province.Stop();
}

TEST_F(ExchangeTlsTest, TheConnectionMustBeTheSignersAndARevokedProvinceIsRefused) {
  Enrol();
  if (HasFatalFailure()) return;
  Ok({"node", "tls"}, National());
  const int national_tls = FreePort();
  Serve national("national", NationalOnTls(national_tls), dir_.File("national-run"));
  national.Start();
  Ok({"node", "tls", "--national", national.Url()}, Province());
  auto national_id = exchange::LoadNodeIdentity(dir_.File("national-keys"));
  auto province_id = exchange::LoadNodeIdentity(dir_.File("province-keys"));
  ASSERT_TRUE(national_id.ok() && province_id.ok());

  // A lookup signed by the province, over a connection showing `tls`'s certificate.
  const auto ask = [&](const exchange::NodeIdentity& tls) {
    http::ClientRequest req;
    req.method = "POST";
    req.url = Https(national_tls) + "/exchange/v1/students/lookup";
    req.body = R"({"idType":"1","idNumber":"11010519491231002X"})";
    req.tls = tls.tls_client;
    req.tls_peer_name = "000000";
    req.headers =
        exchange::SignNodeRequest(*province_id, "000000", "POST", "/exchange/v1/students/lookup",
                                  req.body, static_cast<int64_t>(std::time(nullptr)));
    return http::Fetch(req);
  };
  auto own = ask(*province_id);
  ASSERT_TRUE(own.ok()) << own.error().message;
  EXPECT_EQ(own->status, 200) << own->body;
  auto borrowed = ask(*national_id);  // the national node's certificate, the province's signature
  ASSERT_TRUE(borrowed.ok()) << borrowed.error().message;
  EXPECT_EQ(borrowed->status, 403) << borrowed->body;
  EXPECT_NE(borrowed->body.find("certificate_mismatch"), std::string::npos) << borrowed->body;

  // Revoked: its TLS certificate still chains to the CA, but the node is no longer trusted.
  Ok({"node", "revoke", "--code", "440000"}, National());
  auto revoked = ask(*province_id);
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  EXPECT_EQ(revoked->status, 403) << revoked->body;
  EXPECT_NE(revoked->body.find("node_revoked"), std::string::npos) << revoked->body;
  RunResult renewed = RunNemis({"node", "tls", "--national", national.Url()}, Province());
  EXPECT_EQ(renewed.status.code, 1) << renewed.Describe();
  national.Stop();
}

TEST_F(ExchangeTlsTest, ANodeWithoutATlsCertificateDoesNotUseTls) {
  Enrol();
  if (HasFatalFailure()) return;
  Ok({"migrate"}, National());
  RunResult shown = Ok({"node", "show"}, National());
  EXPECT_NE(shown.out.find("无 TLS 证书"), std::string::npos) << shown.Describe();
  Settings tls_port = National();
  tls_port["node.tls_port"] = std::to_string(FreePort());
  RunResult serve = RunNemis({"serve", "--port", "0"}, tls_port);
  EXPECT_EQ(serve.status.code, 2) << serve.Describe();
  EXPECT_NE(serve.err.find("请先执行 nemis node tls"), std::string::npos) << serve.Describe();

  Settings https_source = National();
  https_source["exchange.sources"] = "440000=" + Https(FreePort());
  RunResult pulling = RunNemis({"serve", "--port", "0"}, https_source);
  EXPECT_EQ(pulling.status.code, 2) << pulling.Describe();
  EXPECT_NE(pulling.err.find("请先执行 nemis node tls"), std::string::npos) << pulling.Describe();

  // Asking for a TLS certificate at an https:// address without one: told what to do.
  RunResult asked = RunNemis({"node", "tls", "--national", Https(FreePort())}, Province());
  EXPECT_EQ(asked.status.code, 2) << asked.Describe();
  EXPECT_NE(asked.err.find("tls_not_configured"), std::string::npos) << asked.Describe();
}

}  // namespace
}  // namespace nemis::it
