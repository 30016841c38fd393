// nemis user add / nemis token create: accounts and API tokens from the command
// line (the first accounts of a node, scripts, other systems' credentials).
#include <iostream>

#include "cli/cli_common.hpp"
#include "identity/account_store.hpp"
#include "identity/builtin_roles.hpp"
#include "identity/credentials.hpp"

namespace nemis::cli {
namespace {

struct UserFlags {
  CommonFlags common;
  std::string login, role, org, name;
  bool password_stdin = false;
};

struct TokenFlags {
  CommonFlags common;
  std::string login;
  std::string name = "cli";
  int days = 0;
};

void PrintError(const Error& e) {
  std::cerr << e.message << "\n";
  for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.message << "\n";
}

int AddUser(const UserFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  identity::AccountStore accounts(*db, identity::IdentitySettings::FromConfig(*config));
  auto existing = accounts.FindId(flags.login);
  if (!existing.ok()) return PrintError(existing.error()), kExitFailed;
  std::string generated;
  if (!*existing) {
    identity::NewAccount account{flags.login, flags.name.empty() ? flags.login : flags.name,
                                 flags.org,   {},
                                 false,       {{flags.role, flags.org}}};
    if (flags.password_stdin) {
      std::string line;
      std::getline(std::cin, line);
      account.password = line;
    }
    auto created = accounts.Create(account);
    if (!created.ok()) return PrintError(created.error()), kExitFailed;
    generated = created->generated_password;
  } else if (Status granted = accounts.Grant(flags.login, flags.role, flags.org); !granted.ok()) {
    return PrintError(granted.error()), kExitFailed;
  }
  std::cout << (*existing ? "已为账号 " : "已创建账号 ") << flags.login << "，角色 " << flags.role
            << "，机构 " << flags.org << "\n";
  if (!generated.empty()) std::cout << "密码（只显示这一次）: " << generated << "\n";
  return 0;
}

int CreateToken(const TokenFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  auto settings = identity::IdentitySettings::FromConfig(*config);
  identity::AccountStore accounts(*db, settings);
  auto id = accounts.FindId(flags.login);
  if (!id.ok()) return PrintError(id.error()), kExitFailed;
  if (!*id) return std::cerr << "账号 " << flags.login << " 不存在\n", kExitFailed;
  identity::CredentialStore credentials(*db, settings);
  auto token = credentials.CreateApiToken(**id, flags.name, std::chrono::hours(24) * flags.days);
  if (!token.ok()) return PrintError(token.error()), kExitFailed;
  std::cout << *token << "\n";  // alone on stdout, for scripts
  return 0;
}

}  // namespace

void AddUserCommand(CLI::App& app, int& exit_code) {
  CLI::App* user = app.add_subcommand("user", "Accounts");
  user->require_subcommand(1);
  auto flags = std::make_shared<UserFlags>();
  CLI::App* add =
      user->add_subcommand("add", "Create an account (or give an existing one another role)");
  AddCommonFlags(*add, flags->common);
  add->add_option("login", flags->login, "Login name")->required();
  std::string roles;
  for (const auto& r : identity::BuiltinRoles())
    roles += (roles.empty() ? "" : ", ") + std::string(r.name);
  add->add_option("--role", flags->role, "Role: " + roles)->required();
  add->add_option("--org", flags->org, "Code of the institution the role is granted at")
      ->required();
  add->add_option("--name", flags->name, "Display name (default: the login)");
  add->add_flag("--password-stdin", flags->password_stdin,
                "Read the password from standard input (default: generate one and print it once)");
  add->callback([flags, &exit_code] { exit_code = AddUser(*flags); });

  CLI::App* token = app.add_subcommand("token", "API tokens");
  token->require_subcommand(1);
  auto token_flags = std::make_shared<TokenFlags>();
  CLI::App* create =
      token->add_subcommand("create", "Create an API token for an account and print it");
  AddCommonFlags(*create, token_flags->common);
  create->add_option("login", token_flags->login, "Login name")->required();
  create->add_option("--name", token_flags->name, "What the token is for");
  create->add_option("--days", token_flags->days, "Days until it expires (0: never)")
      ->check(CLI::Range(0, 3650));
  create->callback([token_flags, &exit_code] { exit_code = CreateToken(*token_flags); });
}

}  // namespace nemis::cli
