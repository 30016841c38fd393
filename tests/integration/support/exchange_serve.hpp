// The exchange's integration tests' nodes running: `nemis serve` of one node as a child
// process that can be killed or stopped and started again on the port it had (the national
// node knows a province by its address), with its files in a directory of its own; the
// gauges of its /metrics; and waiting, with a limit, for something to come true.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "http_client.hpp"
#include "process.hpp"

namespace nemis::it {

// How long the exchange tests wait for a node by default: generous (a loaded 2-core machine);
// nothing is asserted about how long a step takes.
inline constexpr std::chrono::seconds kPatience{90};

// The end of `s` (its last `n` characters, after "..."), for failure messages.
std::string Tail(const std::string& s, size_t n = 4000);

// Polls `done` every `every` until it holds or `limit` has passed.
bool Eventually(const std::function<bool()>& done, std::chrono::milliseconds limit = kPatience,
                std::chrono::milliseconds every = std::chrono::milliseconds(200));

// A gauge of /metrics labelled source="440000"; -1 when it is not there.
double SourceGauge(const std::string& metrics, const std::string& name);

// `nemis serve` of one node: its `settings` (store, keys, role, exchange), and on top its own
// files in `dir` (made if missing): the spool, the audit signing key and each run's standard
// output and error (serve-N.out, serve-N.err); no statistics engine, no access log. Stopped
// when the object dies.
class Serve {
 public:
  Serve(std::string name, std::map<std::string, std::string> settings, std::string dir);
  ~Serve() { Stop(); }
  Serve(const Serve&) = delete;
  Serve& operator=(const Serve&) = delete;

  // Starts on `port` (0: a free one) and waits for the URL line and /healthz (60 s each).
  // Throws std::runtime_error, with what the node wrote, when it does not come up.
  void Start(int port = 0);
  // SIGKILL, at once.
  ExitStatus Kill() { return child_->Kill(); }
  // SIGTERM, then SIGKILL if it has not exited within 30 s. The exit status, or nullopt when
  // it was not running.
  std::optional<ExitStatus> Stop();

  int port() const { return port_; }
  // "http://127.0.0.1:PORT", as another node or `nemis` command is given it.
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // A client of the node, 15 s a request.
  HttpClient Client() const;
  // The same, calling with an API token.
  HttpClient ClientWithToken(const std::string& token) const;
  std::string Metrics() const { return Client().Get("/metrics").body; }
  // The current run's whole log (standard error), and its end for failure messages.
  std::string Log() const { return child_ ? child_->Stderr() : ""; }
  std::string Logs() const { return Tail(Log()); }

 private:
  std::string name_;
  std::map<std::string, std::string> settings_;
  std::string dir_;
  std::unique_ptr<ChildProcess> child_;
  int port_ = 0;
  int runs_ = 0;
};

}  // namespace nemis::it
