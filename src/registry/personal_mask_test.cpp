#include "registry/personal_mask.hpp"

#include <gtest/gtest.h>

namespace nemis::registry {
namespace {

TEST(PersonalMaskTest, DocumentNumbersKeepTheirEnds) {
  EXPECT_EQ(MaskDocumentNumber("11010519491231002X"), "1101**********002X");
  EXPECT_EQ(MaskDocumentNumber("E12345678"), "E1*****78");  // a passport
  EXPECT_EQ(MaskDocumentNumber("H1234567890"), "H1*******90");
  EXPECT_EQ(MaskDocumentNumber("12345"), "*****");
  EXPECT_EQ(MaskDocumentNumber(""), "");
}

TEST(PersonalMaskTest, OnlyGNumbersHoldAnIdToHide) {
  EXPECT_EQ(MaskStudentNumber("G11010519491231002X"), "G1101**********002X");
  EXPECT_EQ(MaskStudentNumber("J440106201903150011"), "J440106201903150011");
  EXPECT_EQ(MaskStudentNumber("L440106201903150020"), "L440106201903150020");
}

TEST(PersonalMaskTest, RecordsMaskEveryKindOfNumber) {
  EXPECT_EQ(MaskStudentNumberForRecords("G11010519491231002X"), "G1101**********002X");
  EXPECT_EQ(MaskStudentNumberForRecords("J440106201903150011"), "J4401**********0011");
  EXPECT_EQ(MaskStudentNumberForRecords("L440106201903150020"), "L4401**********0020");
}

TEST(PersonalMaskTest, PhonesAndAddresses) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone("020-87654321"), "020*****4321");
  EXPECT_EQ(MaskPhone("1234567"), "*******");
  EXPECT_EQ(MaskAddress("广东省梅州市蕉岭县民主路822号"), "广东省梅州市****");
  EXPECT_EQ(MaskAddress("𠮷祥路"), "𠮷祥路****");  // whole characters, never half of one
}

TEST(PersonalMaskTest, MasksEveryPersonalFieldOfAStudent) {
  Student s;
  s.student_number = "G11010519491231002X";
  s.id_number = "11010519491231002X";
  s.address = "广东省广州市天河区体育西路";
  s.phone = "13812345678";
  s.guardian1.id_number = "440524188001010014";
  s.guardian1.phone = "13900001111";
  s.guardian1.name = "张大明";
  MaskPersonal(s);
  EXPECT_EQ(s.student_number, "G1101**********002X");
  EXPECT_EQ(*s.id_number, "1101**********002X");
  EXPECT_EQ(*s.address, "广东省广州市****");
  EXPECT_EQ(*s.phone, "138****5678");
  EXPECT_EQ(*s.guardian1.id_number, "4405**********0014");
  EXPECT_EQ(*s.guardian1.phone, "139****1111");
  EXPECT_EQ(*s.guardian1.name, "张大明");
  EXPECT_FALSE(s.guardian2.phone.has_value());
}

}  // namespace
}  // namespace nemis::registry
