#include "crypto/private_directory.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "testing/temp_dir.hpp"

namespace nemis::crypto {
namespace {

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST(PrivateDirectoryTest, EveryCreatedDirectoryIsOwnerOnlyAndExistingOnesAreLeftAlone) {
  testing::TempDir dir;
  ::chmod(dir.path().c_str(), 0755);
  ASSERT_TRUE(CreatePrivateDirectories(dir.File("var/keys/node")).ok());
  EXPECT_EQ(ModeOf(dir.File("var")), 0700u);
  EXPECT_EQ(ModeOf(dir.File("var/keys")), 0700u);
  EXPECT_EQ(ModeOf(dir.File("var/keys/node")), 0700u);
  EXPECT_EQ(ModeOf(dir.path().string()), 0755u);
  EXPECT_TRUE(CreatePrivateDirectories(dir.File("var/keys/node")).ok()) << "existing: nothing to do";
}

TEST(PrivateDirectoryTest, AFileInTheWayIsAnError) {
  testing::TempDir dir;
  ASSERT_TRUE(CreatePrivateDirectories(dir.File("a")).ok());
  FILE* f = std::fopen(dir.File("a/file").c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  EXPECT_FALSE(CreatePrivateDirectories(dir.File("a/file/sub")).ok());
}

}  // namespace
}  // namespace nemis::crypto
