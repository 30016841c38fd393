// Another department's service played by a Node.js script of tests/departments/ (the
// population register, the finance department's payment platform), run as a child process
// of the test: started with its arguments, its port read from its "listening <port>" line,
// its request log (one JSON object a line, --log) read back, killed with the test.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "process.hpp"
#include "test_store.hpp"

namespace nemis::it {

class DepartmentSim {
 public:
  /// `node script --log <a file of the store's directory> args...`; throws when it does not
  /// start listening within 20 s.
  DepartmentSim(const TestStore& store, const std::string& script,
                const std::vector<std::string>& args);

  std::string Url(const std::string& path) const;
  /// The log's lines so far, oldest first.
  std::vector<nlohmann::json> Log() const;
  /// Stops it: its port is closed from then on.
  void Kill() { child_->Kill(); }

 private:
  int WaitForPort();

  std::unique_ptr<ChildProcess> child_;
  std::string log_;
  int port_ = 0;
};

}  // namespace nemis::it
