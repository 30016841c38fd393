// What the subcommands share: configuration from nemis.toml, environment and
// flags; opening (and migrating) the store; logging.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_entry.hpp"
#include "base/config.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "exchange/department_call.hpp"
#include "org/scope.hpp"

namespace nemis::cli {

/// Flags every store-using subcommand accepts.
struct CommonFlags {
  std::string config_file = "nemis.toml";
  std::string db_url;                            // --db, overrides store.url
  std::vector<std::string> settings;             // --set key=value, as typed
  std::map<std::string, std::string> overrides;  // set by subcommands (e.g. --port)
};

void AddCommonFlags(CLI::App& command, CommonFlags& flags);

/// Loads the configuration and starts logging; prints the error and returns null on failure.
std::unique_ptr<Config> LoadConfig(const CommonFlags& flags);

/// Opens the store named by store.url, applies migrations (sealing personal data stored
/// before migration 4) and seeds the division tree of node.code and the built-in roles.
/// Prints the error and returns null on failure.
std::unique_ptr<db::Database> OpenStore(const Config& config);

/// The node's field keys (security.field_key_file, created on first use); prints the
/// error and returns nothing on failure.
std::optional<crypto::FieldCipher> LoadFieldCipher(const Config& config);

db::Options StoreOptions(const Config& config);

/// The audit entry of an operator's command run on the node itself, now: no account signs
/// in, so the command names itself ("(nemis keys rotate)"). `details` is a JSON value or empty.
audit::AuditEntry CliAuditEntry(std::string command, std::string action, std::string target,
                                std::string details = "", bool succeeded = true);
/// Appends `entry` in a write of its own; store_unavailable when the log refuses it.
Status AppendCliAudit(db::Database& db, const audit::AuditEntry& entry);

/// The store, the field keys and the scope of `--org` (an institution's subtree; the whole
/// node when empty), as the commands working on a part of the node open them.
struct ScopedStore {
  std::unique_ptr<Config> config;
  std::unique_ptr<db::Database> db;
  std::optional<crypto::FieldCipher> cipher;
  org::Scope scope = org::Scope::Everything();
};
/// Prints the error and sets `exit_code` (kExitUsage for a bad configuration or an unknown
/// --org, kExitFailed when the store or the keys cannot be opened) on failure.
std::optional<ScopedStore> OpenScopedStore(const CommonFlags& flags, const std::string& org,
                                           int& exit_code);

/// Another department's service as the settings `<section>.url`, `.token_file` (the bearer
/// token it issued this node, owner-readable, surrounding spaces trimmed) and `.timeout_ms`
/// give it. not_configured, naming the service `what`, when the url is empty or the token
/// file cannot be read.
Result<exchange::DepartmentEndpoint> ReadDepartmentEndpoint(const Config& config,
                                                            const std::string& section,
                                                            std::string_view what);

/// Exit codes: 0 success, 1 the work failed (rejected rows included), 2 bad usage or setup.
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

void AddServeCommand(CLI::App& app, int& exit_code);
void AddMigrateCommand(CLI::App& app, int& exit_code);
void AddConfigCommand(CLI::App& app, int& exit_code);
void AddGenCommand(CLI::App& app, int& exit_code);
void AddImportCommand(CLI::App& app, int& exit_code);
void AddUserCommand(CLI::App& app, int& exit_code);
void AddAuditCommand(CLI::App& app, int& exit_code);
void AddKeysCommand(CLI::App& app, int& exit_code);
void AddOidcCommand(CLI::App& app, int& exit_code);
void AddRegistryCommand(CLI::App& app, int& exit_code);
void AddStatsCommand(CLI::App& app, int& exit_code);
void AddNodeCommand(CLI::App& app, int& exit_code);
void AddExchangeCommand(CLI::App& app, int& exit_code);
void AddDivisionCommand(CLI::App& app, int& exit_code);
void AddNationalCommand(CLI::App& app, int& exit_code);
/// `nemis aid import`, `pay` and `status` (aid_command.cpp).
void AddAidCommand(CLI::App& app, int& exit_code);
/// `nemis staff hr-sync` and `status` (staff_command.cpp).
void AddStaffCommand(CLI::App& app, int& exit_code);
/// `nemis exchange disputes` and `decide` (exchange_decide_command.cpp), added by
/// AddExchangeCommand.
void AddExchangeDecideCommands(CLI::App& exchange, int& exit_code);
/// `nemis stats verify` (stats_verify_command.cpp), added by AddStatsCommand.
void AddStatsVerifyCommand(CLI::App& stats, int& exit_code);
/// `nemis registry scan`, a subcommand of `registry`.
void AddRegistryScanCommand(CLI::App& registry, int& exit_code);
void AddRegistryPopulationCommand(CLI::App& registry, int& exit_code);
/// `nemis registry population-check` and `convert-temporary` (registry_number_commands.cpp).
void AddRegistryNumberCommands(CLI::App& registry, int& exit_code);

}  // namespace nemis::cli
