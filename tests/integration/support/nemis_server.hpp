// `nemis serve` as a child process: started on a free port, ready once it printed
// its URL and /healthz answers; stopped with SIGTERM (then SIGKILL after a
// timeout) when the object dies.
#pragma once

#include <chrono>
#include <csignal>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "process.hpp"

namespace nemis::it {

struct ServerOptions {
  std::string db_url;
  std::map<std::string, std::string> settings;  // configuration keys (NEMIS_* variables)
  std::vector<std::string> extra_args;
  /// Working directory and home of the spool and logs; a fresh temporary one when empty.
  std::string dir;
};

class NemisServer {
 public:
  /// Starts the server and waits until it is ready. Throws std::runtime_error with its
  /// output when it exits or does not become ready.
  explicit NemisServer(ServerOptions options);
  ~NemisServer();  // Stop() unless already stopped
  NemisServer(const NemisServer&) = delete;
  NemisServer& operator=(const NemisServer&) = delete;

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  /// "http://127.0.0.1:PORT/" exactly as printed.
  const std::string& url() const { return url_; }
  HttpClient Client() const { return HttpClient(host_, port_); }
  const std::string& dir() const { return dir_; }

  /// SIGTERM and wait up to `timeout` for the exit; SIGKILL after that.
  ExitStatus Stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  /// Sends SIGTERM without waiting.
  void Terminate() { child_->Signal(SIGTERM); }
  ChildProcess& process() { return *child_; }
  std::string Stdout() const { return child_->Stdout(); }
  std::string Stderr() const { return child_->Stderr(); }

 private:
  void WaitReady();

  std::unique_ptr<struct TempDirHolder> temp_;
  std::string dir_;
  std::unique_ptr<ChildProcess> child_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  std::string url_;
};

}  // namespace nemis::it
