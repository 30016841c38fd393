#include "process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "testing/temp_dir.hpp"

extern char** environ;

namespace nemis::it {
namespace {

// Everything the child needs is prepared before fork: after it, only
// async-signal-safe calls are allowed (the test process may have threads).
struct ExecPlan {
  std::vector<std::string> argv_storage, env_storage;
  std::vector<char*> argv, env;
};

ExecPlan MakePlan(const SpawnOptions& o) {
  ExecPlan plan;
  plan.argv_storage = o.argv;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view var(*e);
    // Configuration variables of the developer's shell must not leak into the run.
    if (var.starts_with("NEMIS_") && !var.starts_with("NEMIS_TEST_")) continue;
    plan.env_storage.emplace_back(var);
  }
  for (const auto& [key, value] : o.settings)
    plan.env_storage.push_back(ConfigEnvName(key) + "=" + value);
  for (const auto& [key, value] : o.env) plan.env_storage.push_back(key + "=" + value);
  for (auto& s : plan.argv_storage) plan.argv.push_back(s.data());
  plan.argv.push_back(nullptr);
  for (auto& s : plan.env_storage) plan.env.push_back(s.data());
  plan.env.push_back(nullptr);
  return plan;
}

}  // namespace

const std::string& NemisBinary() {
  static const std::string path = NEMIS_BINARY;
  return path;
}

std::string ConfigEnvName(const std::string& key) {
  std::string env = "NEMIS_";
  for (char c : key)
    env += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return env;
}

std::string ExitStatus::Describe() const {
  if (exited) return "exit code " + std::to_string(code);
  if (signal) return std::string("killed by signal ") + strsignal(signal);
  return "still running";
}

ChildProcess::ChildProcess(const SpawnOptions& options)
    : stdout_path_(options.stdout_path), stderr_path_(options.stderr_path) {
  ExecPlan plan = MakePlan(options);
  int out = ::open(options.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err = ::open(options.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  auto close_all = [&] {
    for (int fd : {out, err, in})
      if (fd >= 0) ::close(fd);
  };
  if (out < 0 || err < 0 || in < 0) {
    close_all();
    throw std::runtime_error("cannot open the child's output files");
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close_all();
    throw std::runtime_error(std::string("fork: ") + std::strerror(e));
  }
  if (pid == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the test died between fork and prctl
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(126);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(plan.argv[0], plan.argv.data(), plan.env.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent, so that the group exists before any kill
  close_all();
  pid_ = pid;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !status_) Kill();
}

bool ChildProcess::Reap(bool block) {
  if (status_) return true;
  int raw = 0;
  pid_t r;
  do {
    r = waitpid(pid_, &raw, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r != pid_) return false;
  ExitStatus s;
  if (WIFEXITED(raw)) {
    s.exited = true;
    s.code = WEXITSTATUS(raw);
  } else if (WIFSIGNALED(raw)) {
    s.signal = WTERMSIG(raw);
  }
  status_ = s;
  return true;
}

bool ChildProcess::Running() { return !Reap(false); }

void ChildProcess::Signal(int signal) {
  if (!status_) ::kill(pid_, signal);
}

std::optional<ExitStatus> ChildProcess::Wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!Reap(false)) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status_;
}

ExitStatus ChildProcess::Kill() {
  if (!status_) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    Reap(true);
  }
  return *status_;
}

std::string ChildProcess::Stdout() const { return ReadFile(stdout_path_); }
std::string ChildProcess::Stderr() const { return ReadFile(stderr_path_); }

std::string RunResult::Describe() const {
  auto tail = [](const std::string& s) {
    return s.size() > 3000 ? "..." + s.substr(s.size() - 3000) : s;
  };
  return status.Describe() + "\n--- stdout:\n" + tail(out) + "\n--- stderr:\n" + tail(err);
}

RunResult RunNemis(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& settings, std::chrono::seconds timeout,
                   const std::string& cwd) {
  testing::TempDir logs;
  SpawnOptions o;
  o.argv.push_back(NemisBinary());
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.settings = settings;
  o.cwd = cwd.empty() ? logs.path().string() : cwd;
  o.stdout_path = logs.File("stdout");
  o.stderr_path = logs.File("stderr");
  RunResult result;
  {
    ChildProcess child(o);
    auto status = child.Wait(timeout);
    result.status = status ? *status : child.Kill();
    result.out = child.Stdout();
    result.err = child.Stderr();
  }
  return result;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace nemis::it
