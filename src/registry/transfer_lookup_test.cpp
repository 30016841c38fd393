#include "registry/transfer_lookup.hpp"

#include <gtest/gtest.h>

namespace nemis::registry {
namespace {

// One * per character after the first, whatever its UTF-8 length (生僻字 outside the BMP
// and the middle dot of minority names included).
TEST(MaskNameTest, KeepsTheFirstCharacterAndHidesTheRest) {
  EXPECT_EQ(MaskName("张小明"), "张**");
  EXPECT_EQ(MaskName("𠮷野家"), "𠮷**");
  EXPECT_EQ(MaskName("阿卜杜拉·买买提"), "阿*******");
  EXPECT_EQ(MaskName("李"), "李");
  EXPECT_EQ(MaskName("Li Lei"), "L*****");
  EXPECT_EQ(MaskName(""), "");
}

}  // namespace
}  // namespace nemis::registry
