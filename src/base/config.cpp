#include "base/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace nemis {
namespace {

const ConfigKey* FindKey(const std::string& name) {
  for (const auto& k : ConfigKeys())
    if (k.name == name) return &k;
  return nullptr;
}

Status CheckType(const ConfigKey& key, const std::string& value, const std::string& source) {
  auto bad = [&](const char* what) {
    return Error::BadRequest("bad_config", "配置项 " + key.name + "（来自 " + source + "）应为" +
                                               what + "，实际为 \"" + value + "\"");
  };
  if (key.type == ConfigType::kInt) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || p != value.data() + value.size() || value.empty()) return bad("整数");
  } else if (key.type == ConfigType::kBool) {
    if (value != "true" && value != "false") return bad("true 或 false");
  }
  return {};
}

std::string TomlValueToString(const toml::node& node) {
  if (auto s = node.as_string()) return s->get();
  if (auto i = node.as_integer()) return std::to_string(i->get());
  if (auto b = node.as_boolean()) return b->get() ? "true" : "false";
  return "\x01";  // not a scalar we accept; CheckType reports it
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string ConfigEnvName(const std::string& key) {
  std::string env = "NEMIS_";
  for (char c : key) env += (c == '.') ? '_' : static_cast<char>(std::toupper(c));
  return env;
}

Config::Config() {
  for (const auto& k : ConfigKeys()) values_[k.name] = {k.default_value, "default"};
}

Status Config::Set(const std::string& key, const std::string& value, const std::string& source) {
  const ConfigKey* k = FindKey(key);
  if (!k)
    return Error::BadRequest("unknown_config_key", "未知配置项 " + key + "（来自 " + source + "）");
  NEMIS_TRY(CheckType(*k, value, source));
  values_[key] = {value, source};
  return {};
}

Result<Config> Config::Load(const std::string& toml_path, bool file_required,
                            const std::map<std::string, std::string>& overrides) {
  Config cfg;
  if (!toml_path.empty() && (file_required || std::filesystem::exists(toml_path))) {
    toml::table table;
    try {
      table = toml::parse_file(toml_path);
    } catch (const toml::parse_error& e) {
      std::ostringstream msg;
      msg << "配置文件 " << toml_path << " 第 " << e.source().begin.line
          << " 行: " << e.description();
      return Error::BadRequest("bad_config", msg.str());
    }
    for (const auto& [section, node] : table) {
      const auto* sub = node.as_table();
      if (!sub)
        return Error::BadRequest("bad_config",
                                 "配置文件中 " + std::string(section.str()) + " 应为表");
      for (const auto& [name, value] : *sub) {
        std::string key = std::string(section.str()) + "." + std::string(name.str());
        NEMIS_TRY(cfg.Set(key, TomlValueToString(value), "file"));
      }
    }
  }
  for (const auto& k : ConfigKeys()) {
    if (const char* env = std::getenv(ConfigEnvName(k.name).c_str()))
      NEMIS_TRY(cfg.Set(k.name, env, "env"));
  }
  for (const auto& [key, value] : overrides) NEMIS_TRY(cfg.Set(key, value, "flag"));
  return cfg;
}

const Config::Entry& Config::Find(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw std::logic_error("unregistered config key " + key);
  return it->second;
}

const std::string& Config::GetString(const std::string& key) const { return Find(key).value; }
int64_t Config::GetInt(const std::string& key) const { return std::stoll(Find(key).value); }
bool Config::GetBool(const std::string& key) const { return Find(key).value == "true"; }
const std::string& Config::Source(const std::string& key) const { return Find(key).source; }

std::string Config::Describe() const {
  std::ostringstream out;
  std::string section;
  for (const auto& k : ConfigKeys()) {
    std::string sec = k.name.substr(0, k.name.find('.'));
    if (sec != section) {
      out << (section.empty() ? "" : "\n") << "[" << sec << "]\n";
      section = sec;
    }
    const auto& e = Find(k.name);
    out << "# " << k.description << "\n# default: " << k.default_value
        << "; env: " << ConfigEnvName(k.name) << "; source: " << e.source << "\n";
    out << k.name.substr(sec.size() + 1) << " = "
        << (k.type == ConfigType::kString ? Quote(e.value) : e.value) << "\n";
  }
  return out.str();
}

}  // namespace nemis
