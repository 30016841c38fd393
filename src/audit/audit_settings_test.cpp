// The audit.* configuration keys and their floors.
#include "audit/audit_settings.hpp"

#include <gtest/gtest.h>

namespace nemis::audit {
namespace {

TEST(AuditSettingsTest, DefaultsComeFromTheRegistry) {
  AuditSettings s = AuditSettings::FromConfig(Config());
  EXPECT_EQ(s.signing_key_file, "var/keys/audit_sm2.pem");
  EXPECT_EQ(s.checkpoint_file, "var/keys/audit_checkpoints.jsonl");
  EXPECT_EQ(s.checkpoint_interval, std::chrono::seconds(60));
  EXPECT_EQ(s.checkpoint_every_entries, 1000);
  EXPECT_EQ(s.retention_days, 184);
}

TEST(AuditSettingsTest, TheCheckpointFileIsBesideTheKeyUnlessSet) {
  Config config;
  ASSERT_TRUE(config.Set("audit.signing_key_file", "/etc/nemis/keys/audit.pem", "file").ok());
  EXPECT_EQ(AuditSettings::FromConfig(config).checkpoint_file,
            "/etc/nemis/keys/audit_checkpoints.jsonl");
  ASSERT_TRUE(config.Set("audit.checkpoint_file", "/mnt/worm/gd.jsonl", "file").ok());
  EXPECT_EQ(AuditSettings::FromConfig(config).checkpoint_file, "/mnt/worm/gd.jsonl");
}

// audit.checkpoint_interval_minutes, the key before, still counts where it is set alone.
TEST(AuditSettingsTest, TheMinutesKeyStillCountsWhereTheSecondsKeyIsNotSet) {
  Config config;
  ASSERT_TRUE(config.Set("audit.checkpoint_interval_minutes", "5", "file").ok());
  EXPECT_EQ(AuditSettings::FromConfig(config).checkpoint_interval, std::chrono::minutes(5));
  ASSERT_TRUE(config.Set("audit.checkpoint_interval_seconds", "30", "env").ok());
  EXPECT_EQ(AuditSettings::FromConfig(config).checkpoint_interval, std::chrono::seconds(30));
  ASSERT_TRUE(config.Set("audit.checkpoint_interval_seconds", "0", "flag").ok());
  ASSERT_TRUE(config.Set("audit.checkpoint_every_entries", "-3", "flag").ok());
  AuditSettings s = AuditSettings::FromConfig(config);
  EXPECT_EQ(s.checkpoint_interval, std::chrono::seconds(1));
  EXPECT_EQ(s.checkpoint_every_entries, 0);
}

TEST(AuditSettingsTest, RetentionNeverDropsBelow184Days) {
  Config config;
  ASSERT_TRUE(config.Set("audit.retention_days", "30", "flag").ok());
  ASSERT_TRUE(config.Set("audit.signing_key_file", "/etc/nemis/audit.pem", "flag").ok());
  AuditSettings s = AuditSettings::FromConfig(config);
  EXPECT_EQ(s.retention_days, 184);
  EXPECT_EQ(s.signing_key_file, "/etc/nemis/audit.pem");
  ASSERT_TRUE(config.Set("audit.retention_days", "400", "flag").ok());
  EXPECT_EQ(AuditSettings::FromConfig(config).retention_days, 400);
}

}  // namespace
}  // namespace nemis::audit
