#include "exchange_serve.hpp"

#include <csignal>
#include <filesystem>
#include <regex>
#include <stdexcept>
#include <thread>

namespace nemis::it {

using namespace std::chrono_literals;

std::string Tail(const std::string& s, size_t n) {
  return s.size() > n ? "..." + s.substr(s.size() - n) : s;
}

bool Eventually(const std::function<bool()>& done, std::chrono::milliseconds limit,
                std::chrono::milliseconds every) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(every);
  }
}

double SourceGauge(const std::string& metrics, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(metrics, m, std::regex(name + R"(\{source="440000"\} (\S+))"))) return -1;
  return std::stod(m[1]);
}

Serve::Serve(std::string name, std::map<std::string, std::string> settings, std::string dir)
    : name_(std::move(name)), settings_(std::move(settings)), dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
  settings_["server.spool_dir"] = dir_ + "/spool";
  settings_["audit.signing_key_file"] = dir_ + "/audit_sm2.pem";
  settings_["stats.engine"] = "false";
  settings_["log.access"] = "false";
}

void Serve::Start(int port) {
  SpawnOptions o;
  o.argv = {NemisBinary(), "serve", "--port", std::to_string(port)};
  o.settings = settings_;
  o.cwd = dir_;
  const std::string run = dir_ + "/serve-" + std::to_string(++runs_);
  o.stdout_path = run + ".out";
  o.stderr_path = run + ".err";
  child_ = std::make_unique<ChildProcess>(o);
  static const std::regex kUrlLine(R"(NEMIS 已启动: http://[0-9.]+:([0-9]+)/)");
  std::smatch m;
  std::string out;
  const bool printed = Eventually(
      [&] {
        out = child_->Stdout();
        return std::regex_search(out, m, kUrlLine) || !child_->Running();
      },
      60s, 20ms);
  if (!printed || m.empty())
    throw std::runtime_error(
        name_ + ": nemis serve printed no URL (" +
        (child_->Running() ? std::string("still running") : child_->exit_status()->Describe()) +
        ")\nstdout:\n" + Tail(out) + "\nstderr:\n" + Logs());
  port_ = std::stoi(m[1]);
  HttpResponse health;
  if (!Eventually(
          [&] {
            health = Client().Get("/healthz");
            return health.status == 200 || !child_->Running();
          },
          60s, 20ms) ||
      health.status != 200)
    throw std::runtime_error(name_ + ": /healthz never answered 200: " + health.Describe() +
                             "\nstderr:\n" + Logs());
}

std::optional<ExitStatus> Serve::Stop() {
  if (!child_ || child_->exit_status()) return std::nullopt;
  child_->Signal(SIGTERM);
  if (auto s = child_->Wait(30s)) return s;
  return child_->Kill();
}

HttpClient Serve::Client() const {
  HttpClient client("127.0.0.1", port_);
  client.set_timeout(15s);
  return client;
}

HttpClient Serve::ClientWithToken(const std::string& token) const {
  HttpClient client = Client();
  client.set_default_headers({{"Authorization", "Bearer " + token}});
  return client;
}

}  // namespace nemis::it
