// Fresh PostgreSQL data directories for test clusters. initdb takes most of a test
// cluster's start-up time, and every test process (ctest runs each test alone)
// starts one; so initdb runs once per machine into a cached template next to the
// temporary directories, and each cluster starts from a copy of it.
#pragma once

#include <string>
#include <vector>

namespace nemis::testing {

struct InitDbSettings {
  std::string bin_dir;       // where initdb lives
  bool as_postgres = false;  // running as root: initdb runs as the postgres user
};

/// Fills `data_dir` (not existing yet) with a new cluster; `log` receives tool output.
/// With `use_template` it copies the cached template, making it first if needed.
/// Throws std::runtime_error when that fails.
void MakeDataDir(const InitDbSettings& settings, const std::string& data_dir,
                 const std::string& log, bool use_template);

/// Deletes the cached template (e.g. when a cluster copied from it would not start).
void ForgetTemplate(const InitDbSettings& settings);

/// `argv` prefixed to run as the postgres user when `as_postgres`.
std::vector<std::string> AsPostgresUser(bool as_postgres, std::vector<std::string> argv);

}  // namespace nemis::testing
