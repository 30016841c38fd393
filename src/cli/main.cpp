// nemis: the node binary — server, migrations, configuration, data generation, imports.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/cli_common.hpp"

namespace {

int Run(int argc, char** argv) {
  CLI::App app{"NEMIS 国家教育管理信息系统 node"};
  app.require_subcommand(1);
  int exit_code = 0;
  nemis::cli::AddServeCommand(app, exit_code);
  nemis::cli::AddMigrateCommand(app, exit_code);
  nemis::cli::AddConfigCommand(app, exit_code);
  nemis::cli::AddGenCommand(app, exit_code);
  nemis::cli::AddImportCommand(app, exit_code);
  nemis::cli::AddUserCommand(app, exit_code);
  nemis::cli::AddAuditCommand(app, exit_code);
  nemis::cli::AddKeysCommand(app, exit_code);
  nemis::cli::AddOidcCommand(app, exit_code);
  nemis::cli::AddRegistryCommand(app, exit_code);
  nemis::cli::AddStatsCommand(app, exit_code);
  nemis::cli::AddNodeCommand(app, exit_code);
  nemis::cli::AddExchangeCommand(app, exit_code);
  nemis::cli::AddDivisionCommand(app, exit_code);
  nemis::cli::AddNationalCommand(app, exit_code);
  nemis::cli::AddAidCommand(app, exit_code);
  nemis::cli::AddStaffCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : nemis::cli::kExitUsage;
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  // Whatever escapes a command (a failed allocation, a bug) is reported, not a terminate.
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "nemis: " << e.what() << "\n";
    return nemis::cli::kExitFailed;
  }
}
