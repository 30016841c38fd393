// A staff member's personal fields sealed and opened again; a record altered at rest or
// sealed under another node's keys does not open; the index finds the ID, not a neighbour.
#include "staff/staff_personal.hpp"

#include <gtest/gtest.h>

#include "testing/result_matchers.hpp"

namespace nemis::staff {
namespace {

TEST(StaffPersonalTest, SealedFieldsOpenAgainAndNothingElseDoes) {
  crypto::FieldCipher cipher{crypto::FieldKeys::Generate(1)};
  const StaffPersonal p{"11010519491231002X", "李老师"};
  const std::string stored = SealStaffPersonal(cipher, p);
  EXPECT_EQ(stored.find("李"), std::string::npos);
  EXPECT_EQ(stored.find("110105"), std::string::npos);
  auto opened = OpenStaffPersonal(cipher, stored);
  ASSERT_OK(opened);
  EXPECT_EQ(*opened, p);
  EXPECT_NE(SealStaffPersonal(cipher, p), stored);  // a fresh IV each time

  std::string altered = stored;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(OpenStaffPersonal(cipher, altered).ok());
  crypto::FieldCipher other{crypto::FieldKeys::Generate(1)};
  EXPECT_FALSE(OpenStaffPersonal(other, stored).ok());
}

TEST(StaffPersonalTest, TheIndexIsOneValueForOneId) {
  crypto::FieldCipher cipher{crypto::FieldKeys::Generate(1)};
  EXPECT_EQ(StaffIdIndex(cipher, "11010519491231002X"), StaffIdIndex(cipher, "11010519491231002X"));
  EXPECT_NE(StaffIdIndex(cipher, "11010519491231002X"), StaffIdIndex(cipher, "110105194912310021"));
  EXPECT_EQ(StaffIdIndex(cipher, "11010519491231002X").size(), crypto::kBlindIndexChars);
  EXPECT_EQ(StaffIdIndex(cipher, "11010519491231002X").find("110105"), std::string::npos);
}

}  // namespace
}  // namespace nemis::staff
