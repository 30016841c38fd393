#include "base/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "testing/result_matchers.hpp"

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
    EXPECT_OK(Config().Set(k.name, k.default_value, "default")) << k.name;
  }
  EXPECT_EQ(defaults.GetInt("server.port"), 8080);
  EXPECT_EQ(defaults.GetString("server.address"), "127.0.0.1");
}

TEST(ConfigTest, FileThenEnvironmentThenFlagsTakePrecedence) {
  std::string path = WriteTemp("nemis_cfg_test.toml",
                               "[server]\nport = 9000\nworkers = 3\n[log]\nlevel = \"warn\"\n");
  setenv("NEMIS_SERVER_WORKERS", "7", 1);
  auto cfg = Config::Load(path, true, {{"log.level", "debug"}});
  unsetenv("NEMIS_SERVER_WORKERS");
  ASSERT_OK(cfg);
  EXPECT_EQ(cfg->GetInt("server.port"), 9000);
  EXPECT_EQ(cfg->Source("server.port"), "file");
  EXPECT_EQ(cfg->GetInt("server.workers"), 7);
  EXPECT_EQ(cfg->Source("server.workers"), "env");
  EXPECT_EQ(cfg->GetString("log.level"), "debug");
  EXPECT_EQ(cfg->Source("log.level"), "flag");
}

TEST(ConfigTest, UnknownKeysAndWrongTypesNameTheKey) {
  auto unknown = Config::Load(WriteTemp("nemis_cfg_bad1.toml", "[server]\nprot = 1\n"), true, {});
  ASSERT_THAT(unknown, nemis::testing::IsErrorCode("unknown_config_key"));
  EXPECT_NE(unknown.error().message.find("server.prot"), std::string::npos);
  auto wrong = Config::Load("", false, {{"server.port", "eighty"}});
  ASSERT_THAT(wrong, nemis::testing::IsErrorCode("bad_config"));
  EXPECT_NE(wrong.error().message.find("server.port"), std::string::npos);
  auto syntax = Config::Load(WriteTemp("nemis_cfg_bad2.toml", "[server\n"), true, {});
  ASSERT_THAT(syntax, nemis::testing::IsErrorCode("bad_config"));
  EXPECT_NE(syntax.error().message.find("第 1 行"), std::string::npos);
  EXPECT_THAT(Config::Load("/nonexistent/nemis.toml", true, {}),
              nemis::testing::IsErrorCode("bad_config"));
  EXPECT_OK(Config::Load("/nonexistent/nemis.toml", false, {}));
}

TEST(ConfigTest, DescribeListsEveryKeyWithItsSource) {
  auto cfg = Config::Load("", false, {{"server.port", "9100"}});
  ASSERT_OK(cfg);
  std::string text = cfg->Describe();
  for (const auto& k : ConfigKeys())
    EXPECT_NE(text.find(ConfigEnvName(k.name)), std::string::npos) << k.name;
  EXPECT_NE(text.find("port = 9100"), std::string::npos);
  EXPECT_NE(text.find("source: flag"), std::string::npos);
}

}  // namespace
}  // namespace nemis
