#include "base/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace nemis {
namespace {

std::string WriteTemp(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

TEST(ConfigTest, EveryKeyHasADefaultOfItsTypeAndADescription) {
  Config defaults;
  for (const auto& k : ConfigKeys()) {
    EXPECT_FALSE(k.description.empty()) << k.name;
    EXPECT_TRUE(Config().Set(k.name, k.default_value, "default").ok()) << k.name;
  }
  EXPECT_EQ(defaults.GetInt("server.port"), 8080);
  EXPECT_EQ(defaults.GetString("server.address"), "127.0.0.1");
}

TEST(ConfigTest, FileThenEnvironmentThenFlagsTakePrecedence) {
  std::string path = WriteTemp("nemis_cfg_test.toml", "[server]\nport = 9000\nworkers = 3\n[log]\nlevel = \"warn\"\n");
  setenv("NEMIS_SERVER_WORKERS", "7", 1);
  auto cfg = Config::Load(path, true, {{"log.level", "debug"}});
  unsetenv("NEMIS_SERVER_WORKERS");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->GetInt("server.port"), 9000);
  EXPECT_EQ(cfg->Source("server.port"), "file");
  EXPECT_EQ(cfg->GetInt("server.workers"), 7);
  EXPECT_EQ(cfg->Source("server.workers"), "env");
  EXPECT_EQ(cfg->GetString("log.level"), "debug");
  EXPECT_EQ(cfg->Source("log.level"), "flag");
}

TEST(ConfigTest, UnknownKeysAndWrongTypesNameTheKey) {
  auto unknown = Config::Load(WriteTemp("nemis_cfg_bad1.toml", "[server]\nprot = 1\n"), true, {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("server.prot"), std::string::npos);
  auto wrong = Config::Load("", false, {{"server.port", "eighty"}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("server.port"), std::string::npos);
  auto syntax = Config::Load(WriteTemp("nemis_cfg_bad2.toml", "[server\n"), true, {});
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.error().message.find("第 1 行"), std::string::npos);
  EXPECT_FALSE(Config::Load("/nonexistent/nemis.toml", true, {}).ok());
  EXPECT_TRUE(Config::Load("/nonexistent/nemis.toml", false, {}).ok());
}

TEST(ConfigTest, DescribeListsEveryKeyWithItsSource) {
  auto cfg = Config::Load("", false, {{"server.port", "9100"}});
  ASSERT_TRUE(cfg.ok());
  std::string text = cfg->Describe();
  for (const auto& k : ConfigKeys()) EXPECT_NE(text.find(ConfigEnvName(k.name)), std::string::npos) << k.name;
  EXPECT_NE(text.find("port = 9100"), std::string::npos);
  EXPECT_NE(text.find("source: flag"), std::string::npos);
}

}  // namespace
}  // namespace nemis
