#include "staff/hr_record_check.hpp"

#include <array>
#include <string_view>

#include "base/text.hpp"
#include "codes/id_number.hpp"

namespace nemis::staff {
namespace {

constexpr std::array<std::string_view, 3> kPosts = {"专业技术岗位", "管理岗位", "工勤技能岗位"};
constexpr std::array<std::string_view, 5> kStatuses = {"在岗", "离岗", "退休", "调出", "死亡"};
constexpr size_t kLongestText = 50;  // characters of a name or a title

template <size_t N>
bool OneOf(const std::array<std::string_view, N>& list, std::string_view value) {
  for (std::string_view v : list)
    if (v == value) return true;
  return false;
}

bool ShortCleanText(std::string_view text) {
  return IsCleanText(text) && Utf8Length(text) <= kLongestText;
}

// HR writes whole seconds ("…:00Z"); the store keeps milliseconds ("…:00.000Z").
std::optional<std::string> StoreTime(std::string_view text) {
  std::string full(text);
  if (full.size() == 20 && full.back() == 'Z') full.insert(19, ".000");
  if (!ParseUtc(full)) return std::nullopt;
  return full;
}

}  // namespace

std::optional<std::string> RecordProblem(const HrStaffRecord& record, const Date& today,
                                         CheckedRecord& out) {
  codes::IdFacts facts;
  if (codes::CheckIdNumber(record.id_number, today, 0, &facts) != codes::IdProblem::kNone)
    return "bad_id";
  if (record.name.empty() || !ShortCleanText(record.name)) return "bad_name";
  if (!OneOf(kPosts, record.post)) return "bad_post";
  if (!ShortCleanText(record.title)) return "bad_title";
  if (!OneOf(kStatuses, record.status)) return "bad_status";
  auto changed_at = StoreTime(record.changed_at);
  if (!changed_at) return "bad_changed_at";
  out = {facts.gender, facts.birth_date.ToIso(), std::move(*changed_at)};
  return std::nullopt;
}

}  // namespace nemis::staff
