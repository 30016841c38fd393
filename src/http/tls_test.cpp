// Mutual TLS on a server port and in the client, with the certificates the nodes really
// use: ECDSA P-256 keys signed by an SM2 CA (crypto/sm2_certificate.hpp). A client with a
// certificate of the port's CA is served and its certificate reaches the handler; a client
// with none, or with one of another CA, a plain-HTTP client, and a server whose certificate
// names another node or comes from another CA are all refused before any handler runs.
#include "http/tls.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <memory>
#include <string>

#include "crypto/es256.hpp"
#include "crypto/sm2.hpp"
#include "crypto/sm2_certificate.hpp"
#include "http/client.hpp"
#include "http/internal/tls_context.hpp"
#include "http/server.hpp"
#include "http/test_client.hpp"
#include "testing/result_matchers.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::http {
namespace {

using nemis::testing::IsErrorCode;

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

struct Ca {
  crypto::Sm2PrivateKey key = crypto::Sm2PrivateKey::Generate();
  crypto::Sm2Certificate certificate =
      crypto::Sm2Certificate::SelfSignCa(key, {"NEMIS CA", "ca"}, {Now() - 60, Now() + 3600});

  TlsIdentity Issue(const std::string& code, const std::string& role) const {
    auto tls_key = crypto::Es256PrivateKey::Generate();
    auto pem = crypto::Sm2Certificate::IssueTls(key, certificate, tls_key.PublicPem(), {code, role},
                                                {Now() - 60, Now() + 3600});
    return {pem.value(), tls_key.ToPem(), certificate.ToPem()};
  }
};

class TlsTest : public ::testing::Test {
 protected:
  TlsTest() {
    router_.Add("GET", "/exchange/v1/whoami", [this](Request& req) {
      ++served_;
      auto peer = crypto::Sm2Certificate::ReadTls(req.client_certificate, ca_.certificate, Now());
      Response r;
      r.body = peer.ok() ? peer->subject.common_name : "unverified";
      return r;
    });
    ServerOptions options = test::TestOptions(dir_.File("spool"));
    options.tls = ca_.Issue("000000", "national");
    server_ = std::make_unique<test::TestServer>(options, router_);
  }

  Result<ClientResponse> Get(std::shared_ptr<TlsClientContext> tls, std::string peer_name = "") {
    ClientRequest req;
    req.url = "https://127.0.0.1:" + std::to_string(server_->port()) + "/exchange/v1/whoami";
    req.tls = std::move(tls);
    req.tls_peer_name = std::move(peer_name);
    req.timeout = std::chrono::milliseconds(5000);
    return Fetch(req);
  }

  Ca ca_;
  nemis::testing::TempDir dir_;
  Router router_;
  std::atomic<int> served_{0};
  std::unique_ptr<test::TestServer> server_;
};

TEST_F(TlsTest, AClientWithACertificateOfTheCaIsServedAndNamedToTheHandler) {
  auto tls = MakeTlsClientContext(ca_.Issue("440000", "provincial"));
  ASSERT_TRUE(tls.ok()) << tls.error().message;
  auto res = Get(*tls, "000000");
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "440000");
  // A second request on the same context: a fresh connection, a fresh handshake.
  auto again = Get(*tls);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->body, "440000");
}

TEST_F(TlsTest, AServerCertificateNamingAnotherNodeIsRefused) {
  auto tls = MakeTlsClientContext(ca_.Issue("440000", "provincial"));
  ASSERT_TRUE(tls.ok());
  EXPECT_THAT(Get(*tls, "450000"), IsErrorCode("peer_unavailable"));
  EXPECT_EQ(served_.load(), 0);
}

TEST_F(TlsTest, AClientCertificateOfAnotherCaIsRefused) {
  Ca stranger;
  TlsIdentity identity = stranger.Issue("440000", "provincial");
  identity.ca_pem = ca_.certificate.ToPem();  // it trusts our server, we do not trust it
  auto tls = MakeTlsClientContext(identity);
  ASSERT_TRUE(tls.ok());
  EXPECT_THAT(Get(*tls), IsErrorCode("peer_unavailable"));
  EXPECT_EQ(served_.load(), 0);
}

TEST_F(TlsTest, AClientWithoutACertificateIsRefused) {
  namespace ssl = boost::asio::ssl;
  // It would accept any server: what stops it is the server asking for its certificate.
  ssl::context bare(ssl::context::tls_client);
  bare.set_verify_mode(ssl::verify_none);
  auto tls = std::make_shared<TlsClientContext>(std::move(bare));
  EXPECT_THAT(Get(tls), IsErrorCode("peer_unavailable"));
  EXPECT_EQ(served_.load(), 0);
}

TEST_F(TlsTest, AServerOfAnotherCaIsRefusedByTheClient) {
  Ca stranger;
  TlsIdentity identity = ca_.Issue("440000", "provincial");
  identity.ca_pem = stranger.certificate.ToPem();
  auto tls = MakeTlsClientContext(identity);
  ASSERT_TRUE(tls.ok());
  EXPECT_THAT(Get(*tls), IsErrorCode("peer_unavailable"));
  EXPECT_EQ(served_.load(), 0);
}

TEST_F(TlsTest, PlainHttpToATlsPortGetsNoAnswer) {
  EXPECT_FALSE(test::Fetch(server_->port(), "GET", "/exchange/v1/whoami").has_value());
  ClientRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/exchange/v1/whoami";
  req.timeout = std::chrono::milliseconds(5000);
  EXPECT_THAT(Fetch(req), IsErrorCode("peer_unavailable"));
  EXPECT_EQ(served_.load(), 0);
}

TEST_F(TlsTest, AnHttpsUrlNeedsATlsContext) {
  EXPECT_THAT(Get(nullptr), IsErrorCode("tls_not_configured"));
}

TEST_F(TlsTest, TlsToAPlainPortFails) {
  Router plain_router;
  plain_router.Add("GET", "/", [](Request&) { return Response{}; });
  test::TestServer plain(test::TestOptions(dir_.File("spool2")), plain_router);
  auto tls = MakeTlsClientContext(ca_.Issue("440000", "provincial"));
  ASSERT_TRUE(tls.ok());
  ClientRequest req;
  req.url = "https://127.0.0.1:" + std::to_string(plain.port()) + "/";
  req.tls = *tls;
  req.timeout = std::chrono::milliseconds(5000);
  EXPECT_THAT(Fetch(req), IsErrorCode("peer_unavailable"));
}

TEST(TlsIdentityTest, AKeyThatIsNotTheCertificatesIsRefused) {
  Ca ca;
  TlsIdentity identity = ca.Issue("440000", "provincial");
  identity.key_pem = crypto::Es256PrivateKey::Generate().ToPem();
  EXPECT_THAT(MakeTlsClientContext(identity), IsErrorCode("bad_tls_identity"));

  nemis::testing::TempDir dir;
  Router router;
  ServerOptions options = test::TestOptions(dir.File("spool"));
  options.tls = identity;
  Server server(options, router);
  EXPECT_THAT(server.Listen(), IsErrorCode("bad_tls_identity"));
}

TEST(TlsIdentityTest, MissingPartsAreRefused) {
  Ca ca;
  TlsIdentity no_ca = ca.Issue("440000", "provincial");
  no_ca.ca_pem = "";
  EXPECT_THAT(MakeTlsClientContext(no_ca), IsErrorCode("bad_tls_identity"));
  TlsIdentity no_certificate = ca.Issue("440000", "provincial");
  no_certificate.certificate_pem = "not a certificate";
  EXPECT_THAT(MakeTlsClientContext(no_certificate), IsErrorCode("bad_tls_identity"));
}

TEST(HttpsUrlTest, HttpsUrlsDefaultToPort443) {
  auto url = ParseHttpUrl("https://10.0.0.1/exchange/v1/changes");
  ASSERT_TRUE(url.ok());
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->port, "443");
  EXPECT_EQ(url->target, "/exchange/v1/changes");
  auto plain = ParseHttpUrl("http://10.0.0.1:8080/");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->tls);
  EXPECT_THAT(ParseHttpUrl("ftp://10.0.0.1/"), IsErrorCode("bad_url"));
}

}  // namespace
}  // namespace nemis::http
