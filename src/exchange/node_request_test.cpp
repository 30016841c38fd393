// Signed node requests, the national node verifying what the province signed: a fresh request
// names its caller; the same headers again are a replay; a request whose method, target or body
// differs from what was signed, whose time is outside the skew window (the edge itself is
// inside), or whose Authorization is missing or malformed is refused as unauthenticated; a
// request carrying another node's certificate is refused; and once the province's node is
// revoked its requests are refused as such.
#include "exchange/node_request.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "crypto/encoding.hpp"
#include "exchange/exchange_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::exchange {
namespace {

using nemis::testing::IsErrorCode;

constexpr std::string_view kMethod = "GET";
constexpr std::string_view kTarget = "/exchange/v1/changes?after=0&limit=10";

struct Signed {
  std::string authorization, certificate;
};

// The value of `name` in the signed headers.
std::string HeaderOf(const std::vector<std::pair<std::string, std::string>>& headers,
                     std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  ADD_FAILURE() << "no header " << name;
  return {};
}

// `authorization` with the value of `key` replaced by `value`.
std::string WithField(const std::string& authorization, const std::string& key,
                      const std::string& value) {
  const std::string prefix = key + "=";
  size_t at = authorization.find(" " + prefix);
  if (at == std::string::npos) at = authorization.find("," + prefix);
  if (at == std::string::npos) {
    ADD_FAILURE() << "no field " << key << " in " << authorization;
    return authorization;
  }
  const size_t start = at + 1 + prefix.size();
  const size_t end = authorization.find(',', start);
  std::string out = authorization;
  out.replace(start, end == std::string::npos ? std::string::npos : end - start, value);
  return out;
}

class NodeRequestTest : public testing::TwoNodeTest {
 protected:
  Signed Sign(std::string_view method, std::string_view target, std::string_view body,
              int64_t time) {
    auto headers = SignNodeRequest(*province_id_, "000000", method, target, body, time);
    EXPECT_EQ(headers.size(), 2u);
    return {HeaderOf(headers, "Authorization"), HeaderOf(headers, kCertificateHeader)};
  }
  Signed Sign(int64_t time) { return Sign(kMethod, kTarget, "", time); }

  Result<NodeCaller> Verify(std::string_view method, std::string_view target, std::string_view body,
                            const Signed& s, int64_t now) {
    return verifier_.Verify(*national_, *national_id_, method, target, body, s.authorization,
                            s.certificate, now);
  }
  Result<NodeCaller> Verify(const Signed& s, int64_t now) {
    return Verify(kMethod, kTarget, "", s, now);
  }

  NodeRequestVerifier verifier_;
};

TEST_P(NodeRequestTest, AFreshSignedRequestNamesItsCaller) {
  const int64_t now = testing::UnixNow();
  const Signed s = Sign(now);
  EXPECT_TRUE(s.authorization.starts_with(
      "NEMIS-SM2 node=440000,to=000000,time=" + std::to_string(now) + ",nonce="))
      << s.authorization;
  auto caller = Verify(s, now);
  ASSERT_OK(caller);
  EXPECT_EQ(caller->code, "440000");
  EXPECT_EQ(caller->certificate.SerialHex(), province_id_->certificate.SerialHex());

  // Another request, signed with its own nonce, verifies too.
  ASSERT_OK(Verify(Sign(now), now));
}

TEST_P(NodeRequestTest, ARequestWithABodyVerifiesOnlyWithThatBody) {
  const int64_t now = testing::UnixNow();
  const std::string body = R"({"after":0,"limit":10})";
  const Signed s = Sign("POST", "/exchange/v1/changes", body, now);
  auto caller = Verify("POST", "/exchange/v1/changes", body, s, now);
  ASSERT_OK(caller);
  EXPECT_EQ(caller->code, "440000");
}

TEST_P(NodeRequestTest, TheSameHeadersASecondTimeAreAReplay) {
  const int64_t now = testing::UnixNow();
  const Signed s = Sign(now);
  ASSERT_OK(Verify(s, now));
  EXPECT_THAT(Verify(s, now), IsErrorCode("node_unauthenticated"));
  EXPECT_THAT(Verify(s, now + 10), IsErrorCode("node_unauthenticated"));
}

TEST_P(NodeRequestTest, AnotherMethodTargetOrBodyThanSignedIsRefused) {
  const int64_t now = testing::UnixNow();
  const std::string body = R"({"after":0})";
  const Signed s = Sign("POST", kTarget, body, now);
  EXPECT_THAT(Verify("PUT", kTarget, body, s, now), IsErrorCode("node_unauthenticated"));
  EXPECT_THAT(Verify("POST", "/exchange/v1/changes?after=0&limit=1000", body, s, now),
              IsErrorCode("node_unauthenticated"));
  EXPECT_THAT(Verify("POST", kTarget, R"({"after":1})", s, now),
              IsErrorCode("node_unauthenticated"));
  EXPECT_THAT(Verify("POST", kTarget, "", s, now), IsErrorCode("node_unauthenticated"));
  // None of the refusals used up the nonce: the request as signed still verifies.
  EXPECT_OK(Verify("POST", kTarget, body, s, now));
}

TEST_P(NodeRequestTest, ATimeOutsideTheSkewWindowIsRefusedAndTheEdgeIsInside) {
  const int64_t now = testing::UnixNow();
  EXPECT_THAT(Verify(Sign(now - kRequestSkewSeconds - 1), now),
              IsErrorCode("node_unauthenticated"));
  EXPECT_THAT(Verify(Sign(now + kRequestSkewSeconds + 1), now),
              IsErrorCode("node_unauthenticated"));
  EXPECT_OK(Verify(Sign(now - kRequestSkewSeconds), now));
  EXPECT_OK(Verify(Sign(now + kRequestSkewSeconds), now));
}

TEST_P(NodeRequestTest, AMissingOrMalformedAuthorizationIsRefused) {
  const int64_t now = testing::UnixNow();
  const Signed good = Sign(now);
  std::vector<std::string> bad = {
      "",
      "Bearer x",
      "NEMIS-SM2",
      "NEMIS-SM2 ",
      "NEMIS-SM2 node=440000",
      "NEMIS-SM2:" + good.authorization.substr(std::string("NEMIS-SM2 ").size()),
      WithField(good.authorization, "nonce", std::string(30, 'a')),
      WithField(good.authorization, "nonce", std::string(34, 'a')),
      WithField(good.authorization, "nonce", ""),
      WithField(good.authorization, "time", ""),
      WithField(good.authorization, "time", "soon"),
      WithField(good.authorization, "time", std::to_string(now) + "x"),
      WithField(good.authorization, "signature", ""),
      WithField(good.authorization, "signature", "not base64!"),
  };
  for (const std::string& authorization : bad) {
    EXPECT_THAT(Verify({authorization, good.certificate}, now), IsErrorCode("node_unauthenticated"))
        << authorization;
  }
  // Another nonce of the right length than the one signed: the signature does not verify.
  EXPECT_THAT(
      Verify({WithField(good.authorization, "nonce", std::string(32, '0')), good.certificate}, now),
      IsErrorCode("node_unauthenticated"));
  // Another time than signed, inside the window: the signature does not verify.
  EXPECT_THAT(
      Verify({WithField(good.authorization, "time", std::to_string(now - 1)), good.certificate},
             now),
      IsErrorCode("node_unauthenticated"));
  // Addressed to another node (a request to Beijing's node replayed here), whether the
  // field is changed or signed so: refused.
  EXPECT_THAT(Verify({WithField(good.authorization, "to", "110000"), good.certificate}, now),
              IsErrorCode("node_unauthenticated"));
  auto elsewhere = SignNodeRequest(*province_id_, "110000", "GET",
                                   "/exchange/v1/changes?after=0&limit=10", "", now);
  EXPECT_THAT(Verify({elsewhere[0].second, elsewhere[1].second}, now),
              IsErrorCode("node_unauthenticated"));
  // A nonce that is not lowercase hex.
  EXPECT_THAT(
      Verify({WithField(good.authorization, "nonce", std::string(32, 'z')), good.certificate}, now),
      IsErrorCode("node_unauthenticated"));
  // No certificate at all.
  EXPECT_THAT(Verify({good.authorization, ""}, now), IsErrorCode("node_unauthenticated"));
  // The request as signed was never accepted, so it still verifies.
  EXPECT_OK(Verify(good, now));
}

TEST_P(NodeRequestTest, AnotherNodesCertificateIsRefused) {
  const int64_t now = testing::UnixNow();
  Signed s = Sign(now);
  s.certificate = crypto::Base64Encode(national_id_->certificate.ToPem());
  auto refused = Verify(s, now);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().code == "node_unauthenticated" ||
              refused.error().code == "certificate_untrusted")
      << refused.error().code << ": " << refused.error().message;

  // Naming the national node as the caller with its certificate: the province's key did not
  // sign for that certificate.
  Signed national = Sign(now);
  national.authorization = WithField(national.authorization, "node", "000000");
  national.certificate = crypto::Base64Encode(national_id_->certificate.ToPem());
  EXPECT_FALSE(Verify(national, now).ok());
}

TEST_P(NodeRequestTest, ARevokedNodesRequestsAreRefused) {
  const int64_t now = testing::UnixNow();
  ASSERT_OK(Verify(Sign(now), now));
  ASSERT_OK(RevokeNode(*national_, "440000", now));
  EXPECT_THAT(Verify(Sign(now), now), IsErrorCode("node_revoked"));
}

NEMIS_STORE_TEST_SUITE(NodeRequestTest);

}  // namespace
}  // namespace nemis::exchange
