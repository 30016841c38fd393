// nemis config: print every configuration key with its value, source and description.
#include <iostream>

#include "cli/cli_common.hpp"

namespace nemis::cli {

void AddConfigCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<CommonFlags>();
  CLI::App* cmd = app.add_subcommand(
      "config", "Print the configuration (every key, its value, source and meaning)");
  AddCommonFlags(*cmd, *flags);
  cmd->callback([flags, &exit_code] {
    auto config = LoadConfig(*flags);
    if (!config) return void(exit_code = kExitUsage);
    std::cout << config->Describe();
  });
}

}  // namespace nemis::cli
