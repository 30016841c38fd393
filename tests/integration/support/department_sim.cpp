#include "department_sim.hpp"

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace nemis::it {

DepartmentSim::DepartmentSim(const TestStore& store, const std::string& script,
                             const std::vector<std::string>& args) {
  static int started = 0;
  const std::string name =
      std::filesystem::path(script).stem().string() + "-" + std::to_string(++started);
  log_ = store.File(name + ".log");
  SpawnOptions o;
  o.argv = {"/usr/bin/env", "node", script, "--log", log_};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.stdout_path = store.File(name + ".out");
  o.stderr_path = store.File(name + ".err");
  child_ = std::make_unique<ChildProcess>(o);
  port_ = WaitForPort();
}

std::string DepartmentSim::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<nlohmann::json> DepartmentSim::Log() const {
  std::vector<nlohmann::json> lines;
  if (!std::filesystem::exists(log_)) return lines;
  const std::string text = ReadFile(log_);
  for (size_t at = 0, end; (end = text.find('\n', at)) != std::string::npos; at = end + 1)
    lines.push_back(nlohmann::json::parse(text.substr(at, end - at)));
  return lines;
}

int DepartmentSim::WaitForPort() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string out = child_->Stdout();
    if (size_t at = out.find("listening ");
        at != std::string::npos && out.find('\n', at) != std::string::npos)
      return std::stoi(out.substr(at + 10));
    if (!child_->Running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("the simulated department did not start: " + child_->Stderr());
}

}  // namespace nemis::it
