#include "registry/personal_record.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"

namespace nemis::registry {
namespace {

Student Pupil() {
  Student s;
  s.student_number = "G11010519491231002X";
  s.id_type = "1";
  s.id_number = "11010519491231002X";
  s.address = "广东省广州市天河区𠮷祥路 1 号";  // a character outside the BMP
  s.phone = "13812345678";
  s.guardian1.id_number = "440524188001010014";
  s.guardian1.phone = "020-87654321";
  return s;  // guardian 2 has neither
}

class PersonalRecordTest : public ::testing::Test {
 protected:
  crypto::FieldCipher cipher_{crypto::FieldKeys::Generate(1)};
};

TEST_F(PersonalRecordTest, OpensWhatItSealedAbsentFieldsIncluded) {
  Student s = Pupil();
  SealPersonal(cipher_, s);
  Student read;
  ASSERT_TRUE(OpenPersonal(cipher_, s.sealed.record, read).ok());
  EXPECT_EQ(read.student_number, s.student_number);
  EXPECT_EQ(read.id_number, s.id_number);
  EXPECT_EQ(read.address, s.address);
  EXPECT_EQ(read.phone, s.phone);
  EXPECT_EQ(read.guardian1.id_number, s.guardian1.id_number);
  EXPECT_EQ(read.guardian1.phone, s.guardian1.phone);
  EXPECT_FALSE(read.guardian2.id_number.has_value());
  EXPECT_FALSE(read.guardian2.phone.has_value());
}

TEST_F(PersonalRecordTest, TheStoredRecordHoldsNothingInClear) {
  Student s = Pupil();
  SealPersonal(cipher_, s);
  auto raw = crypto::Base64UrlDecode(s.sealed.record);
  ASSERT_TRUE(raw.ok());
  for (const std::string& secret :
       {*s.id_number, *s.phone, std::string("天河区"), *s.guardian1.id_number}) {
    EXPECT_EQ(s.sealed.record.find(secret), std::string::npos) << secret;
    EXPECT_EQ(raw->find(secret), std::string::npos) << secret;
  }
  // Sealing twice gives different ciphertexts (a fresh IV) but the same blind indexes.
  Student again = Pupil();
  SealPersonal(cipher_, again);
  EXPECT_NE(again.sealed.record, s.sealed.record);
  EXPECT_EQ(again.sealed.number_index, s.sealed.number_index);
  EXPECT_EQ(again.sealed.id_index, s.sealed.id_index);
}

TEST_F(PersonalRecordTest, BlindIndexesAreKeyedTruncatedAndSeparatedByKind) {
  std::string number = NumberIndex(cipher_, "G11010519491231002X");
  EXPECT_EQ(number.size(), kBlindIndexChars);
  EXPECT_EQ(number.find_first_not_of("0123456789abcdef"), std::string::npos);
  // The same text as a document number and as a student number indexes differently.
  EXPECT_NE(DocumentIndex(cipher_, "J440106201903150011"),
            NumberIndex(cipher_, "J440106201903150011"));
  crypto::FieldCipher other(crypto::FieldKeys::Generate(1));
  EXPECT_NE(NumberIndex(other, "G11010519491231002X"), number);
}

TEST_F(PersonalRecordTest, ATamperedOrForeignRecordIsRefused) {
  Student s = Pupil();
  SealPersonal(cipher_, s);
  std::string tampered = s.sealed.record;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  Student read;
  Status bad = OpenPersonal(cipher_, tampered, read);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "bad_ciphertext");
  EXPECT_FALSE(OpenPersonal(cipher_, s.sealed.record.substr(0, 40), read).ok());
  EXPECT_FALSE(OpenPersonal(cipher_, "", read).ok());
  crypto::FieldCipher other(crypto::FieldKeys::Generate(1));
  EXPECT_FALSE(OpenPersonal(other, s.sealed.record, read).ok());
}

TEST_F(PersonalRecordTest, RecordsSealedWithAnOlderKeyStillOpen) {
  crypto::FieldKeys v1 = crypto::FieldKeys::Generate(1);
  Student s = Pupil();
  SealPersonal(crypto::FieldCipher(v1), s);
  crypto::FieldKeys v2 = crypto::FieldKeys::Generate(2);
  v2.index_key = v1.index_key;  // rotating the encryption keys keeps the blind indexes
  crypto::FieldCipher rotated(v2, {v1});
  Student read;
  ASSERT_TRUE(OpenPersonal(rotated, s.sealed.record, read).ok());
  EXPECT_EQ(read.id_number, s.id_number);
  EXPECT_EQ(NumberIndex(rotated, s.student_number), s.sealed.number_index);
}

TEST_F(PersonalRecordTest, IndexesTheGuardiansIdNumbersLikeDocuments) {
  Student s = Pupil();
  SealPersonal(cipher_, s);
  EXPECT_EQ(s.sealed.g1_index, DocumentIndex(cipher_, "440524188001010014"));
  EXPECT_FALSE(s.sealed.g2_index.has_value());
  EXPECT_EQ(s.sealed.g1_index->size(), kBlindIndexChars);
}

TEST_F(PersonalRecordTest, IdCheckFlagsCompareTheNumberWithTheRecord) {
  Student s = Pupil();  // 11010519491231002X: a woman born 1949-12-31
  s.birth_date = "1949-12-31";
  s.gender = 2;
  EXPECT_EQ(IdCheckFlags(s), 0);
  s.gender = 1;
  EXPECT_EQ(IdCheckFlags(s), kIdGenderDiffers);
  s.birth_date = "1949-12-30";
  EXPECT_EQ(IdCheckFlags(s), kIdGenderDiffers | kIdBirthDiffers);
  s.id_number = "110105194912310021";  // check character flipped
  EXPECT_EQ(IdCheckFlags(s), kIdInvalid);
  s.id_type = "6";  // not a citizen ID: nothing to check
  EXPECT_EQ(IdCheckFlags(s), 0);
  s.id_type.reset();
  s.id_number.reset();
  EXPECT_EQ(IdCheckFlags(s), 0);
  SealPersonal(cipher_, s);
  EXPECT_EQ(s.sealed.id_check, 0);
}

}  // namespace
}  // namespace nemis::registry
