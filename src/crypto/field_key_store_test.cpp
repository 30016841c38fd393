#include "crypto/field_key_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "testing/temp_dir.hpp"

namespace nemis::crypto {
namespace {

TEST(FieldKeyStoreTest, CreatesAnOwnerOnlyKeyFileOnceAndReadsItBack) {
  testing::TempDir dir;
  std::string path = dir.File("keys/field.keys");
  auto first = LoadOrCreateFieldKeys(path);
  ASSERT_TRUE(first.ok()) << first.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string sealed = first->Seal("440106201903150018");
  auto second = LoadOrCreateFieldKeys(path);  // the same file: the same keys
  ASSERT_TRUE(second.ok());
  auto opened = second->Open(sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "440106201903150018");
  EXPECT_EQ(second->BlindIndex("x"), first->BlindIndex("x"));
}

TEST(FieldKeyStoreTest, ABadKeyFileIsAnErrorNamingFileAndLine) {
  testing::TempDir dir;
  std::string path = dir.File("field.keys");
  std::ofstream(path) << "# comment\nv1 00 11\n";
  auto loaded = LoadOrCreateFieldKeys(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find(path), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("第 2 行"), std::string::npos) << loaded.error().message;
}

}  // namespace
}  // namespace nemis::crypto
