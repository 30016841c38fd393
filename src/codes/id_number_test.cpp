#include "codes/id_number.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace nemis::codes {
namespace {

const Date kToday{2025, 11, 1};
const char* const kVectors[] = {"11010519491231002X", "440524188001010014", "370101190102039973"};

// Replaces the first 17 digits' check character so that the number is valid again.
std::string WithCheck(std::string first17) { return first17 + IdCheckCharacter(first17); }

TEST(IdNumberTest, StandardVectorsPass) {
  for (const char* id : kVectors) EXPECT_EQ(CheckIdNumber(id, kToday, 0), IdProblem::kNone) << id;
  EXPECT_EQ(IdCheckCharacter("11010519491231002"), 'X');
  EXPECT_EQ(IdCheckCharacter("44052418800101001"), '4');
  EXPECT_EQ(IdCheckCharacter("37010119010203997"), '3');
  EXPECT_EQ(IdCheckCharacter("1101051949123100"), '\0');
  EXPECT_EQ(IdCheckCharacter("1101051949123100A"), '\0');
}

TEST(IdNumberTest, ReportsFactsOfAValidNumber) {
  IdFacts facts;
  ASSERT_EQ(CheckIdNumber("11010519491231002X", kToday, 2, &facts), IdProblem::kNone);
  EXPECT_EQ(facts.region, "110105");
  EXPECT_EQ(facts.birth_date, (Date{1949, 12, 31}));
  EXPECT_EQ(facts.gender, 2);
  ASSERT_EQ(CheckIdNumber("440524188001010014", kToday, 1, &facts), IdProblem::kNone);
  EXPECT_EQ(facts.gender, 1);
  EXPECT_EQ(facts.birth_date, (Date{1880, 1, 1}));
}

TEST(IdNumberTest, EveryOneCharacterCorruptionFails) {
  const std::string alphabet = "0123456789X";
  int checked = 0;
  for (const char* vector : kVectors) {
    for (size_t pos = 0; pos < 18; ++pos) {
      for (char c : alphabet) {
        std::string id = vector;
        if (id[pos] == c || (pos < 17 && c == 'X')) continue;
        id[pos] = c;
        EXPECT_NE(CheckIdNumber(id, kToday, 0), IdProblem::kNone) << id;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 3 * (17 * 9 + 10));
}

TEST(IdNumberTest, ChecksLengthAndCharactersFirst) {
  EXPECT_EQ(CheckIdNumber("", kToday, 0), IdProblem::kLength);
  EXPECT_EQ(CheckIdNumber("11010519491231002", kToday, 0), IdProblem::kLength);
  EXPECT_EQ(CheckIdNumber("11010519491231002X1", kToday, 0), IdProblem::kLength);
  EXPECT_EQ(CheckIdNumber("11010519491231002x", kToday, 0), IdProblem::kCharacters);
  EXPECT_EQ(CheckIdNumber("1101051949123100X2", kToday, 0), IdProblem::kCharacters);
  EXPECT_EQ(CheckIdNumber("11010519491231 02X", kToday, 0), IdProblem::kCharacters);
  EXPECT_EQ(CheckIdNumber("110105194912310021", kToday, 0), IdProblem::kCheckDigit);
}

TEST(IdNumberTest, ChecksTheBirthDate) {
  EXPECT_EQ(CheckIdNumber(WithCheck("11010520080229001"), kToday, 0), IdProblem::kNone);
  EXPECT_EQ(CheckIdNumber(WithCheck("11010520000229001"), kToday, 0), IdProblem::kNone);
  EXPECT_EQ(CheckIdNumber(WithCheck("11010520090229001"), kToday, 0), IdProblem::kBirthDate);
  EXPECT_EQ(CheckIdNumber(WithCheck("11010519000229001"), kToday, 0), IdProblem::kBirthDate);
  EXPECT_EQ(CheckIdNumber(WithCheck("11010519000228001"), kToday, 0), IdProblem::kNone);
  EXPECT_EQ(CheckIdNumber(WithCheck("11010520101301001"), kToday, 0), IdProblem::kBirthDate);
  EXPECT_EQ(CheckIdNumber(WithCheck("11010520100431001"), kToday, 0), IdProblem::kBirthDate);
  EXPECT_EQ(CheckIdNumber(WithCheck("11010520100400001"), kToday, 0), IdProblem::kBirthDate);
  EXPECT_EQ(CheckIdNumber(WithCheck("11010517991231001"), kToday, 0), IdProblem::kBirthDate);
}

TEST(IdNumberTest, RejectsBirthAfterTheInjectedToday) {
  std::string born_today = WithCheck("11010520251101001");
  std::string born_tomorrow = WithCheck("11010520251102001");
  EXPECT_EQ(CheckIdNumber(born_today, kToday, 0), IdProblem::kNone);
  EXPECT_EQ(CheckIdNumber(born_tomorrow, kToday, 0), IdProblem::kFutureBirthDate);
  EXPECT_EQ(CheckIdNumber(born_tomorrow, Date{2025, 11, 2}, 0), IdProblem::kNone);
}

TEST(IdNumberTest, RequiresAKnownRegion) {
  EXPECT_EQ(CheckIdNumber(WithCheck("44999920100101001"), kToday, 0), IdProblem::kUnknownRegion);
  EXPECT_EQ(CheckIdNumber(WithCheck("00000020100101001"), kToday, 0), IdProblem::kUnknownRegion);
  EXPECT_EQ(CheckIdNumber(WithCheck("44010620100101001"), kToday, 0), IdProblem::kNone);  // current
  EXPECT_EQ(CheckIdNumber(WithCheck("44010220100101001"), kToday, 0),
            IdProblem::kNone);  // 东山区, retired 2005
}

// GB 11643-1999 (地址码): the address code is a county's (县、市、旗、区); see IsAddressCode.
TEST(IdNumberTest, RequiresACountyLevelAddressCode) {
  auto check = [](std::string region) {
    return CheckIdNumber(WithCheck(region + "20100101001"), kToday, 0);
  };
  EXPECT_EQ(check("110000"), IdProblem::kRegionNotCounty);  // 北京市
  EXPECT_EQ(check("440000"), IdProblem::kRegionNotCounty);  // 广东省
  EXPECT_EQ(check("440100"), IdProblem::kRegionNotCounty);  // 广州市, which has districts
  EXPECT_EQ(check("110100"), IdProblem::kRegionNotCounty);  // 北京市 市辖区 aggregate
  EXPECT_EQ(check("429000"), IdProblem::kRegionNotCounty);  // 湖北 省直辖 group
  EXPECT_EQ(check("440106"), IdProblem::kNone);             // 天河区
  EXPECT_EQ(check("429004"), IdProblem::kNone);             // 仙桃市, under the province
  EXPECT_EQ(check("460001"), IdProblem::kNone);             // 通什市, retired xx00zz
  EXPECT_EQ(check("370101"), IdProblem::kNone);             // 济南市 市辖区, as in a vector
  // Prefecture-level cities without counties: their own code is the address code.
  for (const char* city : {"441900", "442000", "460400", "620200"})
    EXPECT_EQ(check(city), IdProblem::kNone) << city;
  EXPECT_EQ(check("449999"), IdProblem::kUnknownRegion);  // unknown comes first
  // Checked last: a J or L student number may carry a city's or a province's code.
  EXPECT_EQ(CheckIdNumber(WithCheck("44010020100101001"), kToday, 2), IdProblem::kGenderMismatch);
  EXPECT_EQ(CheckIdNumber(WithCheck("44010020100101001"), kToday, 1), IdProblem::kRegionNotCounty);
  EXPECT_EQ(IdProblemCode(IdProblem::kRegionNotCounty), "region_not_county");
  EXPECT_EQ(IdProblemMessage(IdProblem::kRegionNotCounty),
            "身份证号码前6位是省级或地级行政区划代码，应为户口所在县（市、旗、区）的代码");
}

TEST(IdNumberTest, ChecksGenderParity) {
  EXPECT_EQ(CheckIdNumber("11010519491231002X", kToday, 1), IdProblem::kGenderMismatch);
  EXPECT_EQ(CheckIdNumber("11010519491231002X", kToday, 2), IdProblem::kNone);
  EXPECT_EQ(CheckIdNumber("370101190102039973", kToday, 1), IdProblem::kNone);
  EXPECT_EQ(CheckIdNumber("370101190102039973", kToday, 2), IdProblem::kGenderMismatch);
  EXPECT_EQ(CheckIdNumber("370101190102039973", kToday, 0), IdProblem::kNone);
}

TEST(IdNumberTest, ProblemsHaveCodesAndMessages) {
  EXPECT_EQ(IdProblemCode(IdProblem::kCheckDigit), "bad_check_digit");
  EXPECT_EQ(IdProblemCode(IdProblem::kFutureBirthDate), "future_birth_date");
  EXPECT_EQ(IdProblemCode(IdProblem::kNone), "");
  std::set<std::string_view> codes;
  for (int p = 1; p <= static_cast<int>(IdProblem::kRegionNotCounty); ++p) {
    codes.insert(IdProblemCode(static_cast<IdProblem>(p)));
    EXPECT_FALSE(IdProblemMessage(static_cast<IdProblem>(p)).empty());
  }
  EXPECT_EQ(codes.size(), 8u);
}

TEST(IdNumberTest, NormalisesWhatClerksPaste) {
  EXPECT_EQ(NormalizeIdNumber(" 11010519491231002x\t"), "11010519491231002X");
  EXPECT_EQ(NormalizeIdNumber("\u3000１１０１０５１９４９１２３１００２Ｘ\u3000"),
            "11010519491231002X");
  EXPECT_EQ(NormalizeIdNumber("１１０１０５１９４９１２３１００２ｘ"), "11010519491231002X");
  EXPECT_EQ(NormalizeIdNumber("440524188001010014\r\n"), "440524188001010014");
  EXPECT_EQ(NormalizeIdNumber("   "), "");
  EXPECT_EQ(NormalizeIdNumber("4405 2418"), "4405 2418");  // inner spaces stay: they are an error
  EXPECT_EQ(NormalizeIdNumber("张三"), "张三");
}

TEST(IdNumberTest, PacksInjectively) {
  EXPECT_EQ(PackIdNumber("11010519491231002"), kNotIdShaped);
  EXPECT_EQ(PackIdNumber("11010519491231002Y"), kNotIdShaped);
  EXPECT_EQ(PackIdNumber("1101051949123100X2"), kNotIdShaped);
  EXPECT_NE(PackIdNumber("999999999999999999"), kNotIdShaped);
  EXPECT_NE(PackIdNumber("99999999999999999X"), kNotIdShaped);
  std::set<uint64_t> keys;
  const std::string alphabet = "0123456789X";
  size_t made = 0;
  for (const char* vector : kVectors) {
    for (size_t pos = 0; pos < 18; ++pos) {
      for (char c : alphabet) {
        if (pos < 17 && c == 'X') continue;
        std::string id = vector;
        id[pos] = c;
        keys.insert(PackIdNumber(id));
        ++made;
      }
    }
  }
  // Strings made from one vector repeat the vector itself once per position.
  EXPECT_EQ(keys.size(), made - 3 * 17);
  EXPECT_NE(PackIdNumber("000000000000000001"), PackIdNumber("00000000000000001X"));
  EXPECT_NE(PackIdNumber("100000000000000000"), PackIdNumber("000000000000000010"));
}

}  // namespace
}  // namespace nemis::codes
