#include "fixture.hpp"

#include <thread>

#include "personal_data_scan.hpp"

namespace nemis::it {

void ServerTest::SetUp() {
  try {
    store_ = std::make_unique<TestStore>(GetParam());
  } catch (const std::exception& e) {
    GTEST_FAIL() << "cannot create the test store: " << e.what();
  }
}

void ServerTest::TearDown() {
  http_.reset();
  StopServer();
  store_.reset();
}

const GenRoster& ServerTest::SeedRoster(int students, int seed) {
  if (roster_) return *roster_;
  roster_ = GenerateRoster(store_->dir().path().string(), students, seed);
  RunResult r = Import(roster_->students_path);
  if (!r.status.Ok()) throw std::runtime_error("seeding the roster failed: " + r.Describe());
  return *roster_;
}

void ServerTest::StartServer(std::map<std::string, std::string> settings) {
  StopServer();
  ServerOptions o;
  o.db_url = store_->url();
  o.settings = std::move(settings);
  o.settings.merge(store_->NodeSettings());  // a test's own value wins
  o.dir = store_->dir().path().string();
  server_ = std::make_unique<NemisServer>(o);
  http_ = std::make_unique<HttpClient>(AuthorizedClient());
}

std::string ServerTest::TokenFor(const std::string& login, const std::string& role,
                                 const std::string& org) {
  // Cheap hashes: these accounts exist for one test and are signed in by token.
  const std::map<std::string, std::string> cheap = {{"identity.argon2_memory_kib", "1024"}};
  RunResult user = RunNemisOnStore(
      {"user", "add", login, "--role", role, "--org", org, "--db", store_->url()}, cheap);
  if (!user.status.Ok()) throw std::runtime_error("nemis user add failed: " + user.Describe());
  RunResult token = RunNemisOnStore({"token", "create", login, "--db", store_->url()}, cheap);
  if (!token.status.Ok())
    throw std::runtime_error("nemis token create failed: " + token.Describe());
  std::string out = token.out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

RunResult ServerTest::AddUserWithPassword(const std::string& login, const std::string& role,
                                          const std::string& org, const std::string& password,
                                          const std::map<std::string, std::string>& settings) {
  std::string input = store_->File(login + ".stdin");
  WriteFile(input, password + "\n");
  SpawnOptions o;
  o.argv = {"/bin/sh",
            "-c",
            "exec \"$@\" < \"$IT_STDIN_FILE\"",
            "sh",
            NemisBinary(),
            "user",
            "add",
            login,
            "--role",
            role,
            "--org",
            org,
            "--password-stdin",
            "--db",
            store_->url()};
  o.settings = settings;
  o.settings.merge(store_->NodeSettings());
  o.env = {{"IT_STDIN_FILE", input}};
  o.cwd = store_->dir().path().string();
  o.stdout_path = store_->File(login + ".out");
  o.stderr_path = store_->File(login + ".err");
  RunResult result;
  ChildProcess child(o);
  auto status = child.Wait(std::chrono::seconds(120));
  result.status = status ? *status : child.Kill();
  result.out = child.Stdout();
  result.err = child.Stderr();
  return result;
}

const std::string& ServerTest::Token() {
  if (token_.empty()) token_ = TokenFor("it.national", "national_registrar", "000000");
  return token_;
}

HttpClient ServerTest::AuthorizedClient() { return ClientWithToken(Token()); }

HttpClient ServerTest::ClientWithToken(const std::string& token) {
  HttpClient client = server_->Client();
  client.set_default_headers({{"Authorization", "Bearer " + token}});
  return client;
}

HttpClient ServerTest::SchoolRegistrarClient(const std::string& school_code) {
  auto [it, made] = registrar_tokens_.try_emplace(school_code);
  if (made) it->second = TokenFor("registrar." + school_code, "school_registrar", school_code);
  return ClientWithToken(it->second);
}

void ServerTest::StopServer() {
  http_.reset();
  if (!server_) return;
  ExitStatus s = server_->Stop();
  EXPECT_TRUE(s.Ok()) << "nemis serve did not stop cleanly: " << s.Describe() << "\n"
                      << server_->Stderr();
  // Every test's server log, not only the privacy test's: no citizen ID numbers.
  auto leaked = FindIdNumbers(server_->Stderr());
  EXPECT_TRUE(leaked.empty()) << "the server logged " << leaked.size()
                              << " citizen ID number(s), e.g. " << leaked.front().substr(0, 6)
                              << "…";
  server_.reset();
}

RunResult ServerTest::RunNemisOnStore(const std::vector<std::string>& args,
                                      std::map<std::string, std::string> settings,
                                      std::chrono::seconds timeout) {
  settings.merge(store_->NodeSettings());  // a test's own value wins
  RunResult r = RunNemis(args, settings, timeout, store_->dir().path().string());
  // Standard error carries the log lines (standard output what a user reads).
  auto leaked = FindIdNumbers(r.err);
  EXPECT_TRUE(leaked.empty()) << "nemis " << (args.empty() ? "" : args.front()) << " logged "
                              << leaked.size() << " citizen ID number(s)";
  return r;
}

RunResult ServerTest::Import(const std::string& file, const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& settings) {
  std::vector<std::string> argv = {"import", "students", file, "--db", store_->url()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunNemisOnStore(argv, settings);
}

const School& ServerTest::PrimarySchool() {
  const School* s = SeedRoster().FirstSchoolOfCategory("21");
  if (!s) throw std::runtime_error("the roster has no primary school");
  return *s;
}

nlohmann::json WaitForImport(HttpClient& http, const std::string& id,
                             std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  nlohmann::json last;
  while (std::chrono::steady_clock::now() < deadline) {
    HttpResponse r = http.Get("/api/v1/imports/" + id);
    if (r.status != 200) {
      ADD_FAILURE() << "polling import " << id << ": " << r.Describe();
      return r.Json();
    }
    last = r.Json();
    if (last.value("state", "") == "finished") return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "import " << id << " did not finish; last status: " << last.dump();
  return last;
}

std::vector<nlohmann::json> ListAll(HttpClient& http, const std::string& first_target, int* pages) {
  std::vector<nlohmann::json> items;
  std::string target = first_target;
  std::string separator = first_target.find('?') == std::string::npos ? "?" : "&";
  int count = 0;
  while (true) {
    HttpResponse r = http.Get(target);
    if (r.status != 200) {
      ADD_FAILURE() << target << ": " << r.Describe();
      break;
    }
    auto body = r.Json();
    ++count;
    for (auto& item : body["items"]) items.push_back(item);
    if (body["next"].is_null()) break;
    if (count > 10000) {
      ADD_FAILURE() << "pagination does not end";
      break;
    }
    target = first_target + separator + "after=" + UrlEncode(body["next"].get<std::string>());
  }
  if (pages) *pages = count;
  return items;
}

}  // namespace nemis::it
