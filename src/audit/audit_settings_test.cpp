// The audit.* configuration keys and their floors.
#include "audit/audit_settings.hpp"

#include <gtest/gtest.h>

namespace nemis::audit {
namespace {

TEST(AuditSettingsTest, DefaultsComeFromTheRegistry) {
  AuditSettings s = AuditSettings::FromConfig(Config());
  EXPECT_EQ(s.signing_key_file, "var/keys/audit_sm2.pem");
  EXPECT_EQ(s.checkpoint_interval, std::chrono::minutes(60));
  EXPECT_EQ(s.retention_days, 184);
}

TEST(AuditSettingsTest, RetentionNeverDropsBelow184Days) {
  Config config;
  ASSERT_TRUE(config.Set("audit.retention_days", "30", "flag").ok());
  ASSERT_TRUE(config.Set("audit.checkpoint_interval_minutes", "0", "flag").ok());
  ASSERT_TRUE(config.Set("audit.signing_key_file", "/etc/nemis/audit.pem", "flag").ok());
  AuditSettings s = AuditSettings::FromConfig(config);
  EXPECT_EQ(s.retention_days, 184);
  EXPECT_EQ(s.checkpoint_interval, std::chrono::minutes(1));
  EXPECT_EQ(s.signing_key_file, "/etc/nemis/audit.pem");
  ASSERT_TRUE(config.Set("audit.retention_days", "400", "flag").ok());
  EXPECT_EQ(AuditSettings::FromConfig(config).retention_days, 400);
}

}  // namespace
}  // namespace nemis::audit
