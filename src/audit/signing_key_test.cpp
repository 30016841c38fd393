// The node key file: created private on first use, reused after, refused when exposed.
#include "audit/signing_key.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "testing/result_matchers.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::audit {
namespace {

namespace fs = std::filesystem;

unsigned Mode(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

void WriteFile(const std::string& path, const std::string& text, fs::perms perms) {
  std::ofstream(path) << text;
  fs::permissions(path, perms);
}

TEST(SigningKeyTest, CreatesAPrivateKeyFileAndReusesIt) {
  testing::TempDir dir;
  std::string path = dir.File("var/keys/audit_sm2.pem");
  auto created = LoadOrCreateSigningKey(path);
  ASSERT_OK(created);
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(Mode(dir.File("var/keys")), 0700u);
  auto again = LoadOrCreateSigningKey(path);
  ASSERT_OK(again);
  EXPECT_EQ(again->PublicPem(), created->PublicPem());
  EXPECT_TRUE(again->PublicKey().Verify("checkpoint", created->Sign("checkpoint")));
  for (const auto& entry : fs::directory_iterator(dir.File("var/keys"))) {
    EXPECT_EQ(entry.path().filename(), "audit_sm2.pem") << "no temporary file is left behind";
  }
}

TEST(SigningKeyTest, LoadsAnExistingKey) {
  testing::TempDir dir;
  crypto::Sm2PrivateKey key = crypto::Sm2PrivateKey::Generate();
  WriteFile(dir.File("k.pem"), key.ToPem(), fs::perms::owner_read | fs::perms::owner_write);
  auto loaded = LoadOrCreateSigningKey(dir.File("k.pem"));
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->PublicPem(), key.PublicPem());
}

TEST(SigningKeyTest, RefusesAKeyFileOthersMayRead) {
  testing::TempDir dir;
  WriteFile(dir.File("k.pem"), crypto::Sm2PrivateKey::Generate().ToPem(),
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);
  auto loaded = LoadOrCreateSigningKey(dir.File("k.pem"));
  ASSERT_THAT(loaded, nemis::testing::IsErrorCode("bad_key_permissions"));
  EXPECT_NE(loaded.error().message.find("chmod 600"), std::string::npos);
}

TEST(SigningKeyTest, RefusesAFileThatIsNotAnSm2Key) {
  testing::TempDir dir;
  WriteFile(dir.File("k.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            fs::perms::owner_read | fs::perms::owner_write);
  auto loaded = LoadOrCreateSigningKey(dir.File("k.pem"));
  ASSERT_THAT(loaded, nemis::testing::IsErrorCode("bad_key"));
  WriteFile(dir.File("empty.pem"), "", fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(LoadOrCreateSigningKey(dir.File("empty.pem")).error().code, "bad_key");
}

TEST(SigningKeyTest, ReportsADirectoryThatCannotBeCreated) {
  testing::TempDir dir;
  WriteFile(dir.File("file"), "x", fs::perms::owner_read | fs::perms::owner_write);
  auto loaded = LoadOrCreateSigningKey(dir.File("file/keys/k.pem"));
  ASSERT_THAT(loaded, nemis::testing::IsErrorCode("key_file_io"));
}

}  // namespace
}  // namespace nemis::audit
