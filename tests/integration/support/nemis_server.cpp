#include "nemis_server.hpp"

#include <regex>
#include <stdexcept>
#include <thread>

#include "testing/temp_dir.hpp"

namespace nemis::it {

struct TempDirHolder {
  testing::TempDir dir;
};

namespace {

constexpr auto kStartTimeout = std::chrono::seconds(60);

std::string Tail(const std::string& s) {
  return s.size() > 4000 ? "..." + s.substr(s.size() - 4000) : s;
}

}  // namespace

NemisServer::NemisServer(ServerOptions options) {
  if (options.dir.empty()) {
    temp_ = std::make_unique<TempDirHolder>();
    dir_ = temp_->dir.path().string();
  } else {
    dir_ = options.dir;
  }
  SpawnOptions o;
  o.argv = {NemisBinary(), "serve", "--port", "0"};
  if (!options.db_url.empty()) {
    o.argv.push_back("--db");
    o.argv.push_back(options.db_url);
  }
  o.argv.insert(o.argv.end(), options.extra_args.begin(), options.extra_args.end());
  o.settings = options.settings;
  if (!o.settings.contains("server.spool_dir")) o.settings["server.spool_dir"] = dir_ + "/spool";
  o.cwd = dir_;
  // Several servers may share a directory one after another (restart tests).
  static int counter = 0;
  std::string tag = std::to_string(++counter);
  o.stdout_path = dir_ + "/serve-" + tag + ".out";
  o.stderr_path = dir_ + "/serve-" + tag + ".err";
  child_ = std::make_unique<ChildProcess>(o);
  try {
    WaitReady();
  } catch (...) {
    child_->Kill();
    throw;
  }
}

NemisServer::~NemisServer() {
  if (child_ && !child_->exit_status()) Stop();
}

void NemisServer::WaitReady() {
  static const std::regex kUrlLine(R"(NEMIS 已启动: (http://([0-9.]+):([0-9]+)/))");
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  std::smatch m;
  while (true) {
    std::string out = child_->Stdout();
    if (std::regex_search(out, m, kUrlLine)) break;
    if (!child_->Running())
      throw std::runtime_error("nemis serve exited (" + child_->exit_status()->Describe() +
                               ") before printing its URL.\nstdout:\n" + Tail(out) + "\nstderr:\n" +
                               Tail(Stderr()));
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("nemis serve printed no URL in time.\nstderr:\n" + Tail(Stderr()));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  url_ = m[1];
  host_ = m[2];
  port_ = std::stoi(m[3]);
  HttpClient client(host_, port_);
  client.set_timeout(std::chrono::seconds(5));
  while (true) {
    HttpResponse r = client.Get("/healthz");
    if (r.status == 200) return;
    if (!child_->Running())
      throw std::runtime_error("nemis serve exited (" + child_->exit_status()->Describe() +
                               ").\nstderr:\n" + Tail(Stderr()));
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("/healthz never answered 200; last: " + r.Describe());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ExitStatus NemisServer::Stop(std::chrono::milliseconds timeout) {
  if (auto s = child_->exit_status()) return *s;
  child_->Signal(SIGTERM);
  if (auto s = child_->Wait(timeout)) return *s;
  return child_->Kill();
}

}  // namespace nemis::it
