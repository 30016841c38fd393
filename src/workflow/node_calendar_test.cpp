// The node's calendar (node_calendar.hpp): the shipped years alone without a file; with one,
// its years added; an unreadable file, a bad line and a shipped year each named with the
// setting and the file.
#include "workflow/node_calendar.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "testing/result_matchers.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::workflow {
namespace {

using ::nemis::testing::IsErrorCode;
using ::testing::HasSubstr;

class NodeCalendarTest : public ::testing::Test {
 protected:
  std::string File(const std::string& text) {
    std::string path = dir_.File("holidays.txt");
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  nemis::testing::TempDir dir_;
};

TEST_F(NodeCalendarTest, WithoutAFileTheShippedYears) {
  auto calendar = NodeCalendar("");
  ASSERT_OK(calendar);
  EXPECT_TRUE(calendar->Covers(Date{2026, 5, 6}));
  EXPECT_FALSE(calendar->Covers(Date{2027, 1, 4}));
}

TEST_F(NodeCalendarTest, AFileAddsItsYears) {
  auto calendar = NodeCalendar(File("# 国务院办公厅通知\nyear 2027\nholiday 2027-01-01 元旦\n"));
  ASSERT_OK(calendar);
  EXPECT_TRUE(calendar->Covers(Date{2027, 1, 4}));
  auto working = calendar->IsWorkingDay(Date{2027, 1, 1});
  ASSERT_OK(working);
  EXPECT_FALSE(*working);
}

TEST_F(NodeCalendarTest, EveryFaultNamesTheSettingAndTheFile) {
  auto missing = NodeCalendar(dir_.File("none.txt"));
  ASSERT_THAT(missing, IsErrorCode("calendar_file_unreadable"));
  EXPECT_THAT(missing.error().message, HasSubstr("workflow.holiday_calendar_file"));
  auto bad = NodeCalendar(File("year 2027\nholiday 2027-13-01 元旦\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("holidays.txt"));
  EXPECT_THAT(bad.error().message, HasSubstr("第 2 行"));
  auto shipped = NodeCalendar(File("year 2026\n"));
  ASSERT_THAT(shipped, IsErrorCode("calendar_year_repeated"));
  EXPECT_THAT(shipped.error().message, HasSubstr("2026"));
}

}  // namespace
}  // namespace nemis::workflow
