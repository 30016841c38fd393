// nemis: the node binary — server, migrations, configuration, data generation, imports.
#include <CLI/CLI.hpp>

#include "cli/cli_common.hpp"

int main(int argc, char** argv) {
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : nemis::cli::kExitUsage;
  }
  return exit_code;
}
