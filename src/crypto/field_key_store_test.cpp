#include "crypto/field_key_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "testing/result_matchers.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::crypto {
namespace {

TEST(FieldKeyStoreTest, CreatesAnOwnerOnlyKeyFileOnceAndReadsItBack) {
  testing::TempDir dir;
  std::string path = dir.File("keys/field.keys");
  auto first = LoadOrCreateFieldKeys(path);
  ASSERT_OK(first);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string sealed = first->Seal("440106201903150018");
  auto second = LoadOrCreateFieldKeys(path);  // the same file: the same keys
  ASSERT_OK(second);
  auto opened = second->Open(sealed);
  ASSERT_OK(opened);
  EXPECT_EQ(*opened, "440106201903150018");
  EXPECT_EQ(second->BlindIndex("x"), first->BlindIndex("x"));
}

TEST(FieldKeyStoreTest, RotationAddsACurrentGenerationKeepingTheOlderAndTheIndexKey) {
  testing::TempDir dir;
  std::string path = dir.File("keys/field.keys");
  auto v1 = LoadOrCreateFieldKeys(path);
  ASSERT_OK(v1);
  std::string sealed = v1->Seal("13812345678");
  auto v2 = RotateFieldKeys(path);
  ASSERT_OK(v2);
  EXPECT_EQ(v2->CurrentVersion(), 2u);
  EXPECT_EQ(v2->KeyVersionOf(v2->Seal("x")), 2u);
  EXPECT_EQ(*v2->Open(sealed), "13812345678");  // the older generation still opens its values
  EXPECT_EQ(v2->BlindIndex("G11010519491231002X"), v1->BlindIndex("G11010519491231002X"));
  auto reloaded = LoadOrCreateFieldKeys(path);  // what the next process reads
  ASSERT_OK(reloaded);
  EXPECT_EQ(reloaded->CurrentVersion(), 2u);
  EXPECT_EQ(*reloaded->Open(sealed), "13812345678");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(path + ".new"));
  EXPECT_EQ(RotateFieldKeys(path)->CurrentVersion(), 3u);
}

TEST(FieldKeyStoreTest, RotatingAMissingKeyFileIsAnErrorNamingIt) {
  testing::TempDir dir;
  auto rotated = RotateFieldKeys(dir.File("none.keys"));
  ASSERT_THAT(rotated, nemis::testing::IsErrorCode("internal"));
  EXPECT_NE(rotated.error().message.find("none.keys"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.File("none.keys")));
}

TEST(FieldKeyStoreTest, ABadKeyFileIsAnErrorNamingFileAndLine) {
  testing::TempDir dir;
  std::string path = dir.File("field.keys");
  std::ofstream(path) << "# comment\nv1 00 11\n";
  auto loaded = LoadOrCreateFieldKeys(path);
  ASSERT_THAT(loaded, nemis::testing::IsErrorCode("internal"));
  EXPECT_NE(loaded.error().message.find(path), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("第 2 行"), std::string::npos) << loaded.error().message;
}

}  // namespace
}  // namespace nemis::crypto
