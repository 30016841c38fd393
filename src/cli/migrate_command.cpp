// nemis migrate: apply the schema migrations (also done on every start).
#include <iostream>

#include "cli/cli_common.hpp"
#include "db/migrations/migrate.hpp"

namespace nemis::cli {

void AddMigrateCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<CommonFlags>();
  CLI::App* cmd = app.add_subcommand(
      "migrate", "Apply the store's schema migrations and seed the division tree");
  AddCommonFlags(*cmd, *flags);
  cmd->callback([flags, &exit_code] {
    auto config = LoadConfig(*flags);
    if (!config) return void(exit_code = kExitUsage);
    auto db = OpenStore(*config);
    if (!db) return void(exit_code = kExitFailed);
    auto version = db::SchemaVersion(*db);
    std::cout << "数据库结构版本: " << (version.ok() ? *version : -1) << "\n";
  });
}

}  // namespace nemis::cli
