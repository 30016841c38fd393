// The OpenID Connect code flow through a well-known client library, openid-client (npm),
// against the real server: tests/oidc/flow.mjs signs in, redeems, refreshes and signs out,
// and checks that the library refuses every tampered step. This test gives it a server,
// an account and a registered client.
#include <gtest/gtest.h>

#include <filesystem>

#include "fixture.hpp"

namespace nemis::it {
namespace {

constexpr const char* kLogin = "wang.fang";
constexpr const char* kPassword = "Fo-shan#2026zz";
const std::map<std::string, std::string> kCheapHashes = {{"identity.argon2_memory_kib", "1024"}};

std::string Line(const std::string& text, const std::string& prefix) {
  size_t at = text.find(prefix);
  if (at == std::string::npos) return "";
  size_t start = at + prefix.size();
  return text.substr(start, text.find('\n', start) - start);
}

class OidcClientTest : public ServerTest {};

TEST_P(OidcClientTest, OpenIdClientCompletesTheFlowAndRefusesEveryTamperedStep) {
  const std::filesystem::path dir = std::filesystem::path(NEMIS_OIDC_CLIENT_DIR);
  ASSERT_TRUE(std::filesystem::exists(dir / "node_modules" / "openid-client"))
      << "run `npm ci` in " << dir << " (./scripts/test does)";
  ASSERT_TRUE(AddUserWithPassword(kLogin, "county_registrar", "440604", kPassword, kCheapHashes)
                  .status.Ok());
  RunResult added = RunNemisOnStore({"oidc", "client", "add", "--name", "佛山学籍应用",
                                     "--redirect-uri", "http://127.0.0.1:9/cb", "--post-logout-uri",
                                     "http://127.0.0.1:9/bye", "--db", store().url()});
  ASSERT_TRUE(added.status.Ok()) << added.Describe();
  StartServer(kCheapHashes);
  SpawnOptions o;
  o.argv = {"/usr/bin/env", "node", (dir / "flow.mjs").string()};
  o.env = {{"NEMIS_ISSUER", "http://127.0.0.1:" + std::to_string(server().port())},
           {"NEMIS_CLIENT_ID", Line(added.out, "client_id: ")},
           {"NEMIS_CLIENT_SECRET", Line(added.out, "client_secret（只显示这一次）: ")},
           {"NEMIS_REDIRECT_URI", "http://127.0.0.1:9/cb"},
           {"NEMIS_POST_LOGOUT_URI", "http://127.0.0.1:9/bye"},
           {"NEMIS_LOGIN", kLogin},
           {"NEMIS_PASSWORD", kPassword},
           {"NEMIS_ORG", "440604"}};
  o.cwd = dir.string();
  o.stdout_path = store().File("flow.out");
  o.stderr_path = store().File("flow.err");
  ChildProcess node(o);
  auto status = node.Wait(std::chrono::seconds(120));
  ExitStatus exit = status ? *status : node.Kill();
  EXPECT_TRUE(exit.Ok()) << exit.Describe() << "\n" << node.Stdout() << node.Stderr();
  nlohmann::json report = nlohmann::json::parse(node.Stdout(), nullptr, false);
  ASSERT_TRUE(report.is_object()) << node.Stdout() << node.Stderr();
  EXPECT_FALSE(report.contains("error")) << report.dump(2);
  std::vector<std::string> passed = report.value("passed", std::vector<std::string>{});
  for (const char* expected :
       {"ID token claims", "userinfo", "refresh token rotated", "refused: a replayed code",
        "refused: a reused refresh token", "refused: the family of a reused refresh token",
        "refused: a changed state", "refused: a changed issuer", "refused: a changed code",
        "refused: a wrong code verifier", "refused: a different nonce",
        "PKCE plain refused by the provider", "refused: a wrong client secret", "end session",
        "refused: a refresh token after logout"})
    EXPECT_NE(std::find(passed.begin(), passed.end(), expected), passed.end()) << expected << "\n"
                                                                               << report.dump(2);
}

NEMIS_IT_BOTH_BACKENDS(OidcClientTest);

}  // namespace
}  // namespace nemis::it
