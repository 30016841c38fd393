#include "crypto/private_directory.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "testing/result_matchers.hpp"
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
  ASSERT_OK(CreatePrivateDirectories(dir.File("var/keys/node")));
  EXPECT_EQ(ModeOf(dir.File("var")), 0700u);
  EXPECT_EQ(ModeOf(dir.File("var/keys")), 0700u);
  EXPECT_EQ(ModeOf(dir.File("var/keys/node")), 0700u);
  EXPECT_EQ(ModeOf(dir.path().string()), 0755u);
  EXPECT_OK(CreatePrivateDirectories(dir.File("var/keys/node"))) << "existing: nothing to do";
}

TEST(PrivateDirectoryTest, AFileInTheWayIsAnError) {
  testing::TempDir dir;
  ASSERT_OK(CreatePrivateDirectories(dir.File("a")));
  FILE* f = std::fopen(dir.File("a/file").c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  EXPECT_THAT(CreatePrivateDirectories(dir.File("a/file/sub")),
              nemis::testing::IsErrorCode("internal"));
}

}  // namespace
}  // namespace nemis::crypto
