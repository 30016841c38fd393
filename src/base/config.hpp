// The configuration registry: every tunable of a node has a name, a default and a
// description. Values come, in rising precedence, from the defaults, nemis.toml,
// NEMIS_* environment variables and command-line overrides. `nemis config` prints them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace nemis {

enum class ConfigType { kString, kInt, kBool };

struct ConfigKey {
  std::string name;  // dotted, e.g. "server.port"; file section "server", key "port"
  ConfigType type;
  std::string default_value;
  std::string description;
};

/// Every key a node understands (config_keys.cpp).
const std::vector<ConfigKey>& ConfigKeys();

/// Environment variable for a key: server.port -> NEMIS_SERVER_PORT.
std::string ConfigEnvName(const std::string& key);

class Config {
 public:
  /// Defaults only.
  Config();

  /// Defaults < TOML file (skipped when `toml_path` is empty or missing and
  /// `file_required` is false) < environment < `overrides`. Unknown keys and
  /// values of the wrong type are errors naming the key and the source.
  static Result<Config> Load(const std::string& toml_path, bool file_required,
                             const std::map<std::string, std::string>& overrides);

  const std::string& GetString(const std::string& key) const;
  int64_t GetInt(const std::string& key) const;
  bool GetBool(const std::string& key) const;
  /// Where the value came from: "default", "file", "env" or "flag".
  const std::string& Source(const std::string& key) const;

  /// Sets a value after checking its type (used by tests and by subcommands).
  Status Set(const std::string& key, const std::string& value, const std::string& source);

  /// A TOML document listing every key, its value, source and description.
  std::string Describe() const;

 private:
  struct Entry {
    std::string value;
    std::string source;
  };
  const Entry& Find(const std::string& key) const;
  std::map<std::string, Entry> values_;
};

}  // namespace nemis
