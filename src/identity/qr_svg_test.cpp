#include "identity/qr_svg.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "testing/result_matchers.hpp"

namespace nemis::identity {
namespace {

using Modules = std::vector<std::vector<bool>>;

constexpr std::string_view kUri =
    "otpauth://totp/%E5%9B%BD%E5%AE%B6%E6%95%99%E8%82%B2%E7%AE%A1%E7%90%86%E4%BF%A1%E6%81%AF"
    "%E7%B3%BB%E7%BB%9F:zhang.san?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer="
    "%E5%9B%BD%E5%AE%B6%E6%95%99%E8%82%B2%E7%AE%A1%E7%90%86%E4%BF%A1%E6%81%AF%E7%B3%BB%E7%BB%9F"
    "&algorithm=SHA1&digits=6&period=30";

// A finder pattern: dark 7x7 border, light ring, dark 3x3 centre; plus the light
// separator row and column on its inner sides.
void ExpectFinderAt(const Modules& m, int top, int left) {
  for (int dy = 0; dy < 7; ++dy) {
    for (int dx = 0; dx < 7; ++dx) {
      int ring = std::min(std::min(dy, dx), std::min(6 - dy, 6 - dx));
      bool dark = ring != 1;
      EXPECT_EQ(m[top + dy][left + dx], dark)
          << "finder at " << top << "," << left << " +" << dy << "," << dx;
    }
  }
  int separator_row = top == 0 ? 7 : top - 1;
  int separator_col = left == 0 ? 7 : left - 1;
  for (int i = 0; i < 8; ++i) {
    EXPECT_FALSE(m[separator_row][left == 0 ? i : left - 1 + i])
        << "separator row near " << top << "," << left;
    EXPECT_FALSE(m[top == 0 ? i : top - 1 + i][separator_col])
        << "separator column near " << top << "," << left;
  }
}

TEST(QrSvgTest, ModulesAreASquareSymbolWithThreeFinderPatterns) {
  Result<Modules> modules = QrModules(kUri);
  ASSERT_OK(modules);
  const int side = static_cast<int>(modules->size());
  EXPECT_GE(side, 21);
  EXPECT_LE(side, 177);
  EXPECT_EQ((side - 21) % 4, 0) << side;
  for (const auto& row : *modules) ASSERT_EQ(static_cast<int>(row.size()), side);
  ExpectFinderAt(*modules, 0, 0);
  ExpectFinderAt(*modules, 0, side - 7);
  ExpectFinderAt(*modules, side - 7, 0);
  // Timing patterns between the finders alternate dark and light, dark at even indices.
  for (int i = 8; i < side - 8; ++i) {
    EXPECT_EQ((*modules)[6][i], i % 2 == 0) << "horizontal timing at " << i;
    EXPECT_EQ((*modules)[i][6], i % 2 == 0) << "vertical timing at " << i;
  }
}

TEST(QrSvgTest, LongerTextNeedsALargerVersion) {
  Result<Modules> small = QrModules("NEMIS");
  Result<Modules> large = QrModules(kUri);
  ASSERT_OK(small);
  ASSERT_OK(large);
  EXPECT_EQ(small->size(), 21u);  // version 1 holds 5 characters at level M
  EXPECT_GT(large->size(), small->size());
}

TEST(QrSvgTest, SvgDrawsEveryDarkModuleInsideAQuietZone) {
  Result<Modules> modules = QrModules(kUri);
  Result<std::string> svg = QrSvg(kUri);
  ASSERT_OK(modules);
  ASSERT_OK(svg);
  const std::string side = std::to_string(modules->size() + 8);
  EXPECT_TRUE(svg->starts_with("<svg")) << *svg;
  EXPECT_TRUE(svg->ends_with("</svg>"));
  EXPECT_NE(svg->find("viewBox=\"0 0 " + side + " " + side + "\""), std::string::npos) << *svg;
  EXPECT_NE(svg->find("shape-rendering=\"crispEdges\""), std::string::npos);
  EXPECT_EQ(svg->find('\n'), std::string::npos);
  // The top-left finder's first row: 7 dark modules, offset by the 4-module quiet zone.
  EXPECT_NE(svg->find("d=\"M4 4h7v1h-7z"), std::string::npos) << *svg;

  int dark = 0;
  for (const auto& row : *modules) {
    for (bool module : row) dark += module;
  }
  int drawn = 0;
  const std::regex run("h(\\d+)v1");
  for (auto it = std::sregex_iterator(svg->begin(), svg->end(), run); it != std::sregex_iterator();
       ++it) {
    drawn += std::stoi((*it)[1]);
  }
  EXPECT_EQ(drawn, dark);
}

TEST(QrSvgTest, SvgIsDeterministic) {
  Result<std::string> first = QrSvg(kUri);
  Result<std::string> second = QrSvg(kUri);
  Result<std::string> other = QrSvg("otpauth://totp/NEMIS:li.si?secret=GEZDGNBVGY3TQOJQ");
  ASSERT_TRUE(first.ok() && second.ok() && other.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_NE(*first, *other);
}

TEST(QrSvgTest, TooLongTextIsAnErrorNotACrash) {
  std::string text(8000, 'x');  // version 40-M holds at most 2331 bytes
  Result<std::string> svg = QrSvg(text);
  ASSERT_THAT(svg, nemis::testing::IsErrorCode("qr_data_too_large"));
  EXPECT_EQ(svg.error().kind, ErrorKind::kTooLarge);
  EXPECT_THAT(QrModules(text), nemis::testing::IsErrorCode("qr_data_too_large"));
}

TEST(QrSvgTest, EmbeddedNulIsRefusedRatherThanTruncated) {
  Result<Modules> modules = QrModules(std::string_view("abc\0def", 7));
  ASSERT_THAT(modules, nemis::testing::IsErrorCode("qr_invalid_input"));
}

}  // namespace
}  // namespace nemis::identity
