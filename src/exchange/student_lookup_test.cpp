// The national view of a student on both stores: what a province learns of a registration the
// national node holds (where, never the record), by document or by number; nothing for an
// unknown person; a query naming neither refused; the name masked (registry::MaskName).
#include "exchange/student_lookup.hpp"

#include "exchange/batch_envelope.hpp"
#include "exchange/change_reader.hpp"
#include "exchange/exchange_testing.hpp"
#include "registry/transfer_lookup.hpp"

namespace nemis::exchange {
namespace {

using nemis::testing::IsErrorCode;

class StudentLookupTest : public testing::TwoNodeTest {};

TEST_P(StudentLookupTest, TheNationalNodeSaysWhereAStudentIsAndNothingMore) {
  registry::Student s = RegisterInProvince(7, testing::kSchool2);
  auto batch = ReadChanges(db(), province_cipher_, 0, 1000);
  ASSERT_OK(batch);
  auto opened = OpenBatch(SealBatch(HeaderFor(*batch, "440000", "000000"), batch->payload,
                                    province_id_->key, national_id_->key.PublicKey()),
                          "000000", province_id_->key.PublicKey(), national_id_->key);
  ASSERT_OK(opened);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, *opened));

  auto by_document = LookUpStudent(*national_, national_cipher_, {"1", *s.id_number, ""});
  ASSERT_OK(by_document);
  ASSERT_TRUE(by_document->has_value());
  const NationalView& v = **by_document;
  EXPECT_EQ(v.province_code, "440000");
  EXPECT_EQ(v.school_code, testing::kSchool2);
  EXPECT_EQ(v.school_name, "荔湾区第一小学");
  EXPECT_EQ(v.stage, "primary");
  EXPECT_EQ(v.grade, 3);
  EXPECT_EQ(v.status, "01");
  EXPECT_EQ(v.masked_name, registry::MaskName(s.name));
  EXPECT_NE(v.masked_name, s.name);
  // The same by number.
  auto by_number = LookUpStudent(*national_, national_cipher_, {"", "", s.student_number});
  ASSERT_OK(by_number);
  EXPECT_EQ(*by_number, *by_document);
  // Another person, or the document under another type: nothing.
  auto unknown = LookUpStudent(*national_, national_cipher_, {"1", "11010519491231002X", ""});
  ASSERT_OK(unknown);
  EXPECT_FALSE(unknown->has_value());
  auto other_type = LookUpStudent(*national_, national_cipher_, {"6", *s.id_number, ""});
  ASSERT_OK(other_type);
  EXPECT_FALSE(other_type->has_value());
  EXPECT_THAT(LookUpStudent(*national_, national_cipher_, {}), IsErrorCode("validation_failed"));
}

NEMIS_STORE_TEST_SUITE(StudentLookupTest);

}  // namespace
}  // namespace nemis::exchange
