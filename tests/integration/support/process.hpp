// Child processes for the integration tests: the real `nemis` binary started with
// fork/exec in its own process group, standard output and error captured to files,
// killed (whole group) and reaped when the handle dies, and killed by the kernel if
// the test process dies first (PR_SET_PDEATHSIG). Configuration reaches the child as
// NEMIS_* environment variables (see base/config.cpp): any NEMIS_* variable of the
// test's own environment is removed first so that runs are hermetic.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nemis::it {

/// The nemis binary under test (compile definition NEMIS_BINARY).
const std::string& NemisBinary();

/// "server.max_body_bytes" -> "NEMIS_SERVER_MAX_BODY_BYTES".
std::string ConfigEnvName(const std::string& key);

struct ExitStatus {
  bool exited = false;  // normal exit: code holds the exit code
  int code = -1;
  int signal = 0;  // killed by this signal
  bool Ok() const { return exited && code == 0; }
  std::string Describe() const;
};

struct SpawnOptions {
  std::vector<std::string> argv;                // argv[0] is the program path
  std::map<std::string, std::string> settings;  // configuration keys, passed as NEMIS_* variables
  std::map<std::string, std::string> env;       // further variables
  std::string cwd;                              // empty: the current directory
  std::string stdout_path, stderr_path;         // required
};

class ChildProcess {
 public:
  /// Starts the child. Throws std::runtime_error when fork or exec fails.
  explicit ChildProcess(const SpawnOptions& options);
  ~ChildProcess();  // kills the process group (SIGKILL) and reaps the child if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  /// Whether the child has not exited yet (reaps it when it has).
  bool Running();
  /// Sends `signal` to the child only.
  void Signal(int signal);
  /// Waits for the child to exit; nullopt when it is still running after `timeout`.
  std::optional<ExitStatus> Wait(std::chrono::milliseconds timeout);
  /// SIGKILL to the whole process group, then reap.
  ExitStatus Kill();
  const std::optional<ExitStatus>& exit_status() const { return status_; }

  std::string Stdout() const;
  std::string Stderr() const;
  const std::string& stdout_path() const { return stdout_path_; }
  const std::string& stderr_path() const { return stderr_path_; }

 private:
  bool Reap(bool block);

  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
  std::string stdout_path_, stderr_path_;
};

/// The result of running a command to its end.
struct RunResult {
  ExitStatus status;
  std::string out, err;
  std::string Describe() const;  // for assertion messages
};

/// Runs `nemis args...` to completion in `cwd` (a temporary directory when empty)
/// with the given configuration settings. Kills it after `timeout`.
RunResult RunNemis(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& settings = {},
                   std::chrono::seconds timeout = std::chrono::seconds(300),
                   const std::string& cwd = "");

/// Reads a whole file ("" when missing).
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

}  // namespace nemis::it
