#include "workflow/node_calendar.hpp"

#include <fstream>
#include <sstream>

namespace nemis::workflow {

Result<WorkingCalendar> NodeCalendar(const std::string& path) {
  WorkingCalendar calendar = WorkingCalendar::Shipped();
  if (path.empty()) return calendar;
  const std::string where = std::string(kHolidayCalendarSetting) + "（" + path + "）";
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf()))
    return Error{ErrorKind::kInvalid, "calendar_file_unreadable", where + " 无法读取", {}};
  Result<WorkingCalendar> more = WorkingCalendar::Parse(text.str());
  if (!more.ok())
    return Error{ErrorKind::kInvalid, more.error().code, where + "：" + more.error().message, {}};
  if (Status added = calendar.Add(*more); !added.ok())
    return Error{ErrorKind::kInvalid, added.error().code, where + "：" + added.error().message, {}};
  return calendar;
}

}  // namespace nemis::workflow
