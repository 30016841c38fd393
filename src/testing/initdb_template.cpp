#include "testing/initdb_template.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <stdexcept>

#include "testing/subprocess.hpp"
#include "testing/temp_root.hpp"

namespace nemis::testing {
namespace {

// Per user and per PostgreSQL installation, so a different server version never
// starts from another's files.
std::string TemplatePath(const InitDbSettings& settings) {
  size_t key = std::hash<std::string>{}(settings.bin_dir);
  return (TestTempRoot() / ("nemis-pg-template-" + std::to_string(geteuid()) + "-" +
                            std::to_string(key % 1000000007)))
      .string();
}

// Only a directory owned by the user initdb runs as (and by nobody else) is trusted.
bool IsUsable(const InitDbSettings& settings, const std::string& path) {
  struct stat st {};
  if (stat((path + "/data/PG_VERSION").c_str(), &st) != 0) return false;
  if (stat(path.c_str(), &st) != 0) return false;
  uid_t expected = geteuid();
  if (settings.as_postgres) {
    const passwd* pw = getpwnam("postgres");
    if (pw == nullptr) return false;
    expected = pw->pw_uid;
  }
  return st.st_uid == expected && (st.st_mode & 077) == 0;
}

void RunInitDb(const InitDbSettings& settings, const std::string& data_dir,
               const std::string& log) {
  int rc = RunProcess(
      AsPostgresUser(settings.as_postgres,
                     {settings.bin_dir + "/initdb", "-D", data_dir, "-U", "postgres", "-A", "trust",
                      "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"}),
      log);
  if (rc != 0) throw std::runtime_error("PgCluster: initdb failed:\n" + FileTail(log));
}

// initdb into a private staging directory, then rename it into place: the template
// appears complete or not at all, even with several test processes racing.
void BuildTemplate(const InitDbSettings& settings, const std::string& path,
                   const std::string& log) {
  std::string staging = path + ".XXXXXX";
  if (mkdtemp(staging.data()) == nullptr) throw std::runtime_error("PgCluster: mkdtemp failed");
  if (settings.as_postgres) {
    const passwd* pw = getpwnam("postgres");
    if (pw == nullptr || chown(staging.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      std::filesystem::remove_all(staging);
      throw std::runtime_error(
          "PgCluster: cannot hand the template directory to the postgres user");
    }
  }
  try {
    RunInitDb(settings, staging + "/data", log);
  } catch (...) {
    std::filesystem::remove_all(staging);
    throw;
  }
  if (rename(staging.c_str(), path.c_str()) != 0)
    std::filesystem::remove_all(staging);  // another won
}

}  // namespace

std::vector<std::string> AsPostgresUser(bool as_postgres, std::vector<std::string> argv) {
  // initdb and postgres refuse to run as root.
  if (as_postgres) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
  return argv;
}

void MakeDataDir(const InitDbSettings& settings, const std::string& data_dir,
                 const std::string& log, bool use_template) {
  if (!use_template) return RunInitDb(settings, data_dir, log);
  std::string path = TemplatePath(settings);
  if (!IsUsable(settings, path)) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    BuildTemplate(settings, path, log);
  }
  // cp -a keeps the owner (postgres, when running as root) and modes.
  if (RunProcess({"cp", "-a", path + "/data", data_dir}, log) != 0) {
    std::error_code ec;
    std::filesystem::remove_all(data_dir, ec);
    RunInitDb(settings, data_dir, log);
  }
}

void ForgetTemplate(const InitDbSettings& settings) {
  std::error_code ec;
  std::filesystem::remove_all(TemplatePath(settings), ec);
}

}  // namespace nemis::testing
