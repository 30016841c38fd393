// The usual shape of an integration test: a fresh store on the test's back end, a
// generated roster imported with the real CLI (which registers its schools), and
// the real server on top.
//
//   class StudentApiTest : public nemis::it::ServerTest {};
//   TEST_P(StudentApiTest, Registers) { StartServer(); auto r = http().Get("/healthz"); ... }
//   NEMIS_IT_BOTH_BACKENDS(StudentApiTest);
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "nemis_server.hpp"
#include "process.hpp"
#include "test_data.hpp"
#include "test_store.hpp"

namespace nemis::it {

class ServerTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  TestStore& store() { return *store_; }
  /// Generates a roster (cached per test) and imports it with `nemis import students`.
  const GenRoster& SeedRoster(int students = 2000, int seed = 7);
  /// Starts (or restarts) the server on the store.
  void StartServer(std::map<std::string, std::string> settings = {});
  void StopServer();
  NemisServer& server() { return *server_; }
  /// A keep-alive client of the running server, signed in with Token().
  HttpClient& http() { return *http_; }
  /// An API token of a national registry officer (whole node), made once per store.
  const std::string& Token();
  /// A new client of the running server sending Token().
  HttpClient AuthorizedClient();
  /// `nemis user add LOGIN --role ROLE --org ORG --password-stdin` with `password` on standard
  /// input.
  RunResult AddUserWithPassword(const std::string& login, const std::string& role,
                                const std::string& org, const std::string& password,
                                const std::map<std::string, std::string>& settings = {});
  /// Creates `login` with `role` at `org` and returns an API token for it.
  std::string TokenFor(const std::string& login, const std::string& role, const std::string& org);
  /// A new client of the running server sending `token`.
  HttpClient ClientWithToken(const std::string& token);
  /// A new client of the running server signed in as the school registrar of `school_code`
  /// (account "registrar.<code>", made once per test): the one built-in role that sees
  /// its students' personal data whole.
  HttpClient SchoolRegistrarClient(const std::string& school_code);

  /// `nemis args...` as a process of this test's node: with the store's directory as
  /// its working directory and the node's settings (TestStore::NodeSettings, e.g. the
  /// field key file shared with the server), `settings` on top. Its log (standard
  /// error) must hold no citizen ID number.
  RunResult RunNemisOnStore(const std::vector<std::string>& args,
                            std::map<std::string, std::string> settings = {},
                            std::chrono::seconds timeout = std::chrono::seconds(300));
  /// `nemis import students FILE --db STORE args...`.
  RunResult Import(const std::string& file, const std::vector<std::string>& args = {},
                   const std::map<std::string, std::string>& settings = {});

  /// A primary school of the seeded roster.
  const School& PrimarySchool();

 private:
  std::unique_ptr<TestStore> store_;
  std::optional<GenRoster> roster_;
  std::unique_ptr<NemisServer> server_;
  std::unique_ptr<HttpClient> http_;
  std::string token_;
  std::map<std::string, std::string> registrar_tokens_;  // by school code
};

/// Polls GET /api/v1/imports/{id} until its state is "finished"; returns the last body.
nlohmann::json WaitForImport(HttpClient& http, const std::string& id,
                             std::chrono::seconds timeout = std::chrono::seconds(120));

/// Every student of a listing, following `next` until it is null.
std::vector<nlohmann::json> ListAll(HttpClient& http, const std::string& first_target,
                                    int* pages = nullptr);

}  // namespace nemis::it

#define NEMIS_IT_BOTH_BACKENDS(suite) \
  INSTANTIATE_TEST_SUITE_P(Both, suite, ::nemis::it::BothBackends(), ::nemis::it::BackendName)
