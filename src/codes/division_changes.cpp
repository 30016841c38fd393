#include "codes/division_changes.hpp"

#include <algorithm>
#include <map>
#include <memory>

#include "base/text.hpp"
#include "codes/division.hpp"
#include "codes/division_data.hpp"
#include "codes/division_index.hpp"

namespace nemis::codes {
namespace {

// The division a new one hangs under: a county's prefecture (or 省直辖 group), else its
// province; a prefecture's province; nothing for a province.
std::string ParentOf(std::string_view code) {
  auto level = DivisionLevelOf(code);
  if (level == DivisionLevel::kProvince) return {};
  std::string prefecture = PrefectureOf(code);
  if (level == DivisionLevel::kCounty && !prefecture.empty()) return prefecture;
  return ProvinceOf(code);
}

// Whether schools may hang under the division: a county, or a prefecture-level city without
// counties (东莞).
bool TakesSchools(std::string_view code) {
  auto level = DivisionLevelOf(code);
  return level == DivisionLevel::kCounty ||
         (level == DivisionLevel::kPrefecture && ChildDivisions(code).empty());
}

bool IsCurrent(std::string_view code) {
  const Division* d = FindDivision(code);
  return d && d->current;
}

void CheckCode(const DivisionChange& change, std::vector<FieldError>& errors) {
  const std::string& code = change.code;
  const Division* d = FindDivision(code);
  if (change.kind == DivisionChangeKind::kAdd) {
    if (d && d->current) {
      errors.push_back(
          {"code", "exists", "“" + code + "”已是现行区划（" + std::string(d->name) + "）"});
      return;
    }
    std::string parent = ParentOf(code);
    if (!parent.empty() && !IsCurrent(parent))
      errors.push_back({"code", "no_parent", "上级区划 " + parent + " 不存在或已撤销"});
    return;
  }
  if (!d) {
    errors.push_back({"code", "unknown_division", "“" + code + "”不是已知的行政区划代码"});
  } else if (!d->current) {
    errors.push_back(
        {"code", "not_current", "“" + code + "”（" + std::string(d->name) + "）已撤销"});
  } else if (change.kind == DivisionChangeKind::kRetire && !ChildDivisions(code).empty()) {
    errors.push_back({"code", "has_children", "“" + code + "”下还有现行区划，须先撤销或调整"});
  }
}

void CheckName(const DivisionChange& change, std::vector<FieldError>& errors) {
  if (change.kind == DivisionChangeKind::kRetire) return;
  if (change.name.empty()) {
    errors.push_back({"name", "required", "请填写区划名称"});
  } else if (!IsCleanText(change.name) || Utf8Length(change.name) > kMaxDivisionNameChars) {
    errors.push_back({"name", "bad_name", "区划名称须为不超过 50 个字符的文本"});
  } else if (change.kind == DivisionChangeKind::kRename) {
    const Division* d = FindDivision(change.code);
    if (d && d->name == change.name) errors.push_back({"name", "same_name", "新名称与现名称相同"});
  }
}

void CheckSuccessor(const DivisionChange& change, std::vector<FieldError>& errors) {
  if (change.successor.empty()) return;
  if (change.kind != DivisionChangeKind::kRetire) {
    errors.push_back({"successor", "not_applicable", "只有撤销的区划有承继区划"});
  } else if (change.successor == change.code || !IsCurrent(change.successor)) {
    errors.push_back({"successor", "unknown_successor", "承继区划须为另一个现行区划代码"});
  } else if (ProvinceOf(change.successor) != ProvinceOf(change.code)) {
    errors.push_back({"successor", "other_province", "承继区划须在同一省内"});
  } else if (!TakesSchools(change.successor)) {
    // The retired division's schools move to it (org/division_tree.hpp).
    errors.push_back(
        {"successor", "not_school_parent", "承继区划须为区县，或不设区县的地级市（学校随之划入）"});
  }
}

// The compiled table with `changes` laid over it, in order. The last change of each code
// decides its state; the text lives in the index it builds.
std::unique_ptr<internal::DivisionIndex> BuildIndex(std::span<const DivisionChange> changes) {
  auto index = std::make_unique<internal::DivisionIndex>();
  std::map<std::string_view, Division> rows;
  for (const Division& d : internal::DivisionTable()) rows.emplace(d.code, d);
  for (const DivisionChange& change : changes) {
    if (internal::DivisionCodeNumber(change.code) < 0) continue;
    std::string_view code = index->text.emplace_back(change.code);
    std::string_view name = index->text.emplace_back(change.name);
    if (change.kind == DivisionChangeKind::kRetire && name.empty() && rows.contains(code))
      name = rows.at(code).name;
    rows.insert_or_assign(code, Division{code, name, change.kind != DivisionChangeKind::kRetire});
  }
  index->rows.reserve(rows.size());
  for (const auto& [code, d] : rows) index->rows.push_back(d);
  internal::IndexDivisions(*index);
  return index;
}

}  // namespace

std::string_view DivisionChangeKindId(DivisionChangeKind kind) {
  switch (kind) {
    case DivisionChangeKind::kAdd:
      return "add";
    case DivisionChangeKind::kRename:
      return "rename";
    case DivisionChangeKind::kRetire:
      return "retire";
  }
  return "";
}

std::string_view DivisionChangeKindName(DivisionChangeKind kind) {
  switch (kind) {
    case DivisionChangeKind::kAdd:
      return "新设";
    case DivisionChangeKind::kRename:
      return "更名";
    case DivisionChangeKind::kRetire:
      return "撤销";
  }
  return "";
}

std::optional<DivisionChangeKind> ParseDivisionChangeKind(std::string_view id) {
  for (auto kind :
       {DivisionChangeKind::kAdd, DivisionChangeKind::kRename, DivisionChangeKind::kRetire})
    if (DivisionChangeKindId(kind) == id) return kind;
  return std::nullopt;
}

std::vector<FieldError> CheckDivisionChange(const DivisionChange& change) {
  std::vector<FieldError> errors;
  if (!DivisionLevelOf(change.code)) {
    errors.push_back(
        {"code", "bad_code", "区划代码须为 6 位数字（省 xx0000、地 xxyy00、县 xxyyzz）"});
  } else {
    CheckCode(change, errors);
  }
  CheckName(change, errors);
  CheckSuccessor(change, errors);
  return errors;
}

std::vector<FieldError> CheckDivisionChangeAfter(const DivisionChange& change,
                                                 std::span<const DivisionChange> stored) {
  const std::unique_ptr<internal::DivisionIndex> after = BuildIndex(stored);
  const internal::ScopedDivisions as_if(*after);
  return CheckDivisionChange(change);
}

std::string DivisionNameAfter(std::string_view code, std::span<const DivisionChange> stored) {
  const std::unique_ptr<internal::DivisionIndex> after = BuildIndex(stored);
  const internal::ScopedDivisions as_if(*after);
  const Division* d = FindDivision(code);
  return d != nullptr ? std::string(d->name) : std::string();
}

void InstallDivisionChanges(std::span<const DivisionChange> changes) {
  internal::PublishDivisions(BuildIndex(changes).release());
}

}  // namespace nemis::codes
