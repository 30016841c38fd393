#include "registry/registry_calendar.hpp"

#include <charconv>
#include <string>

#include "base/text.hpp"
#include "codes/stage.hpp"

namespace nemis::registry {
namespace {

constexpr std::string_view kEveryYearSetting = "registry.calendar";
constexpr std::string_view kSingleYearsSetting = "registry.calendar_years";
// A year without 29 February: a month-day must exist every year.
constexpr int kCommonYear = 2023;

Error BadSetting(std::string_view setting, std::string_view part, std::string_view why) {
  return Error::Invalid(
      {{std::string(setting), "bad_value",
        std::string(setting) + " 中的“" + std::string(part) + "”" + std::string(why)}},
      "学籍业务日历设置有误");
}

std::optional<int> Number(std::string_view digits) {
  int value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const size_t at = text.find(separator);
    parts.push_back(TrimSpaces(text.substr(0, at)));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

}  // namespace

RegistryCalendar RegistryCalendar::National() {
  RegistryCalendar calendar;
  calendar.every_year_ = MonthDays{{{7, 1}, {7, 15}, {7, 30}, {8, 10}}};
  return calendar;
}

Result<RegistryCalendar::MonthDays> RegistryCalendar::ParseMonthDays(std::string_view text,
                                                                     std::string_view setting) {
  const std::vector<std::string_view> parts = Split(text, ',');
  if (parts.size() != 4)
    return BadSetting(setting, text,
                      "应为四个日期（月-日）：毕业年级停办、停止转学、毕业截止、升级");
  MonthDays m{};
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string_view part = parts[i];
    auto month = part.size() == 5 && part[2] == '-' ? Number(part.substr(0, 2)) : std::nullopt;
    auto day = month ? Number(part.substr(3, 2)) : std::nullopt;
    if (!month || !day || *month < 1 || *month > 12 || *day < 1 ||
        *day > DaysInMonth(kCommonYear, *month))
      return BadSetting(setting, part, "不是有效的月-日（例如 07-15）");
    m.days[i][0] = *month;
    m.days[i][1] = *day;
    if (i > 0 && Date{kCommonYear, m.days[i][0], m.days[i][1]} <
                     Date{kCommonYear, m.days[i - 1][0], m.days[i - 1][1]})
      return BadSetting(setting, part, "早于前一个日期：四个日期须按时间先后排列");
  }
  return m;
}

Result<RegistryCalendar> RegistryCalendar::Parse(std::string_view every_year,
                                                 std::string_view single_years) {
  RegistryCalendar calendar;
  NEMIS_ASSIGN_OR_RETURN(calendar.every_year_, ParseMonthDays(every_year, kEveryYearSetting));
  if (TrimSpaces(single_years).empty()) return calendar;
  for (std::string_view entry : Split(single_years, ';')) {
    if (entry.empty()) continue;
    const size_t colon = entry.find(':');
    auto year = colon == 4 ? Number(entry.substr(0, 4)) : std::nullopt;
    if (!year) return BadSetting(kSingleYearsSetting, entry, "应为“年份:月-日,月-日,月-日,月-日”");
    NEMIS_ASSIGN_OR_RETURN(calendar.single_years_[*year],
                           ParseMonthDays(entry.substr(colon + 1), kSingleYearsSetting));
  }
  return calendar;
}

SchoolYearEnd RegistryCalendar::InYear(const MonthDays& m, int year) {
  auto day = [&](int i) { return Date{year, m.days[i][0], m.days[i][1]}; };
  return {day(0), day(1), day(2), day(3)};
}

SchoolYearEnd RegistryCalendar::Of(int year) const {
  auto single = single_years_.find(year);
  return InYear(single == single_years_.end() ? every_year_ : single->second, year);
}

bool RegistryCalendar::GraduatingBusinessClosed(Date today) const {
  const SchoolYearEnd end = Of(today.year);
  return end.graduating_freeze <= today && today <= end.promotion_day;
}

bool RegistryCalendar::TransfersClosed(Date today) const {
  const SchoolYearEnd end = Of(today.year);
  return end.transfer_freeze <= today && today <= end.promotion_day;
}

Result<RegistryCalendar> RegistryCalendarFromConfig(const Config& config) {
  return RegistryCalendar::Parse(config.GetString(std::string(kEveryYearSetting)),
                                 config.GetString(std::string(kSingleYearsSetting)));
}

namespace {

bool InGraduatingGrade(const Student& s) {
  auto stage = codes::ParseStage(s.enrolment.stage);
  return stage && s.enrolment.grade == codes::LastGrade(*stage);
}

std::string MonthDay(Date d) {
  return std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
}

}  // namespace

Status CheckYearEnd(const RegistryCalendar& calendar, Date today, const Student& s, NewCase kind) {
  const SchoolYearEnd end = calendar.Of(today.year);
  const std::string until = MonthDay(end.promotion_day);
  if (kind == NewCase::kTransfer && calendar.TransfersClosed(today))
    return Error::Refused("transfers_closed", MonthDay(end.transfer_freeze) + "至" + until +
                                                  "暂停受理转学申请，新学年（升级后）再办理");
  if (calendar.GraduatingBusinessClosed(today) && InGraduatingGrade(s))
    return Error::Refused("graduating_business_closed",
                          MonthDay(end.graduating_freeze) + "至" + until +
                              "不再受理毕业年级学生的新业务（死亡、结业、肄业除外）");
  return {};
}

}  // namespace nemis::registry
