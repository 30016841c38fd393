// The scanner's UTF-8 strings are the ones a JSON parser accepts (well-formed UTF-8: no
// overlong forms, no surrogates, nothing past U+10FFFF, nothing cut short), and it declines
// what it leaves to the parser (escapes, control characters).
#include "exchange/json_scanner.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace nemis::exchange {
namespace {

bool ScannerTakes(const std::string& quoted) {
  JsonScanner s(quoted);
  return s.Utf8String().has_value() && s.AtEnd();
}

TEST(JsonScannerTest, Utf8StringsAreThoseAJsonParserAccepts) {
  int checked = 0, accepted = 0;
  for (int lead = 0x20; lead < 0x100; ++lead) {
    for (int second = 0; second < 0x100; ++second) {
      for (const int third : {0x41, 0x80, 0x9f, 0xa0, 0xbf, 0xc0}) {
        for (const int fourth : {0x41, 0x80, 0xbf}) {
          std::string quoted = "\"";
          for (const int c : {lead, second, third, fourth}) quoted += static_cast<char>(c);
          quoted += '"';
          // Escapes are the parser's; a quote ends the string early.
          if (quoted.find_first_of("\\\"", 1) != quoted.size() - 1) continue;
          const bool parser = nlohmann::json::accept(quoted);
          ASSERT_EQ(ScannerTakes(quoted), parser)
              << std::hex << lead << ' ' << second << ' ' << third << ' ' << fourth;
          ++checked;
          accepted += parser ? 1 : 0;
        }
      }
    }
  }
  EXPECT_GT(accepted, 10000);
  EXPECT_GT(checked - accepted, 10000);
}

TEST(JsonScannerTest, Utf8StringsLeaveEscapesToTheParser) {
  EXPECT_FALSE(ScannerTakes(R"("a\"b")"));
  EXPECT_FALSE(ScannerTakes(R"("\u4e2d")"));
  EXPECT_FALSE(ScannerTakes("\"tab\there\""));  // refused by JSON too
  EXPECT_FALSE(ScannerTakes("\"unterminated"));
  EXPECT_TRUE(ScannerTakes("\"中文 and \x7f\""));
  EXPECT_TRUE(ScannerTakes("\"\""));
}

TEST(JsonScannerTest, NullIsTheLiteralAlone) {
  JsonScanner s(" null,");
  EXPECT_TRUE(s.Null());
  EXPECT_TRUE(s.Take(','));
  JsonScanner nul("nul");
  EXPECT_FALSE(nul.Null());
}

}  // namespace
}  // namespace nemis::exchange
