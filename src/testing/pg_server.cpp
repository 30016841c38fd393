#include "testing/pg_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "testing/subprocess.hpp"
#include "testing/temp_root.hpp"

namespace nemis::testing {
namespace {

constexpr const char* kDefaultBinDir = "/usr/lib/postgresql/15/bin";
constexpr const char* kUrlVariable = "NEMIS_TEST_PG_URL";
constexpr const char* kBinDirVariable = "NEMIS_TEST_PG_BIN";
constexpr int kStartAttempts = 3;  // a free port can be taken before the server binds it

std::string Quoted(const std::string& name) { return "\"" + name + "\""; }

// "postgresql://u:p@h:5432/old?x=y" with `db` in place of "old".
std::string ReplaceDatabase(const std::string& url, const std::string& db) {
  size_t authority = url.find("://");
  size_t path = url.find_first_of("/?", authority == std::string::npos ? 0 : authority + 3);
  if (path == std::string::npos) return url + "/" + db;
  size_t query = url.find('?', path);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return url.substr(0, path) + "/" + db + rest;
}

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  bool ok = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (fd >= 0) close(fd);
  if (!ok) throw std::runtime_error("PgServer: cannot find a free loopback port");
  return ntohs(addr.sin_port);
}

}  // namespace

PgServer::PgServer(bool honour_url_variable) {
  if (const char* url = std::getenv(kUrlVariable);
      honour_url_variable && url != nullptr && *url != '\0') {
    base_url_ = url;
  } else {
    StartLocal();
  }
  db::Options options;
  options.pool_size = 2;
  options.busy_timeout_ms = 30000;
  auto admin = db::Database::Open(Url("postgres"), options);
  if (!admin.ok()) throw std::runtime_error("PgServer: cannot connect: " + admin.error().message);
  admin_ = std::move(admin).value();
}

PgServer::~PgServer() {
  admin_.reset();
  if (watchdog_ > 0) StopWatchdog(watchdog_, watchdog_fd_);
}

std::string PgServer::Url(const std::string& db) const { return ReplaceDatabase(base_url_, db); }

void PgServer::Exec(const std::string& sql) {
  Status s = admin_->WithRawWriter([&](db::Connection& c) { return c.ExecScript(sql); });
  if (!s.ok()) throw std::runtime_error("PgServer: " + sql + ": " + s.error().message);
}

std::string PgServer::CreateDatabase(const std::string& name) {
  Exec("CREATE DATABASE " + Quoted(name));
  return Url(name);
}

void PgServer::DropDatabase(const std::string& name) {
  Exec("DROP DATABASE IF EXISTS " + Quoted(name) + " WITH (FORCE)");
}

void PgServer::StartLocal() {
  const char* bin_override = std::getenv(kBinDirVariable);
  settings_.bin_dir =
      bin_override != nullptr && *bin_override != '\0' ? bin_override : kDefaultBinDir;
  const std::string& bin = settings_.bin_dir;
  if (access((bin + "/initdb").c_str(), X_OK) != 0 ||
      access((bin + "/pg_ctl").c_str(), X_OK) != 0) {
    throw std::runtime_error("PgServer: PostgreSQL 15 binaries not found in " + bin +
                             " (install postgresql-15, set " + kBinDirVariable +
                             " to their directory, or set " + kUrlVariable +
                             " to a server for the tests)");
  }
  MakeTempDir();
  // Armed before anything runs: from here on the directory goes (and a server started
  // in it stops) even if this process crashes.
  std::string prefix = settings_.as_postgres ? "runuser -u postgres -- " : "";
  std::string script = "cat >/dev/null; " + prefix + "'" + bin + "/pg_ctl' -D '" + dir_ +
                       "/data' -m immediate -w stop; rm -rf '" + dir_ + "'";
  watchdog_ = StartWatchdog(script, &watchdog_fd_);
  if (watchdog_ < 0) throw std::runtime_error("PgServer: cannot start the cleanup watchdog");
  std::string data = dir_ + "/data";
  MakeDataDir(settings_, data, dir_ + "/initdb.log", /*use_template=*/true);
  std::string log;
  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    int port = FreeLoopbackPort();
    if (StartServer(port, &log)) {
      base_url_ = "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres";
      return;
    }
    if (attempt == 1 && log.find("could not bind") == std::string::npos) {
      // Not a port race: distrust the cached template and start from a fresh initdb.
      ForgetTemplate(settings_);
      std::filesystem::remove_all(data);
      MakeDataDir(settings_, data, dir_ + "/initdb.log", /*use_template=*/false);
    }
  }
  throw std::runtime_error("PgServer: the server did not start:\n" + log);
}

void PgServer::MakeTempDir() {
  std::string tmpl = (TestTempRoot() / "nemis-pg-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("PgServer: mkdtemp failed");
  dir_ = tmpl;
  if (geteuid() != 0) return;
  const passwd* pw = getpwnam("postgres");
  if (pw == nullptr)
    throw std::runtime_error("PgServer: running as root needs the postgres OS user");
  if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
    throw std::runtime_error("PgServer: chown failed");
  settings_.as_postgres = true;
}

bool PgServer::StartServer(int port, std::string* log) {
  std::string server_log = dir_ + "/server.log";
  std::string options =
      "-c port=" + std::to_string(port) +
      " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir_ +
      " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
  int rc = RunProcess(AsPostgresUser(settings_.as_postgres,
                                     {settings_.bin_dir + "/pg_ctl", "-D", dir_ + "/data", "-l",
                                      server_log, "-w", "-t", "60", "-o", options, "start"}),
                      dir_ + "/pg_ctl.log");
  if (rc == 0) return true;
  *log = FileTail(dir_ + "/pg_ctl.log") + FileTail(server_log);
  return false;
}

}  // namespace nemis::testing
