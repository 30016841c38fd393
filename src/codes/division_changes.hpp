// Changes to the GB/T 2260 division table after this build was compiled (新设、更名、撤销):
// the national node records them as the State Council approves them
// (org/division_change_store.hpp) and the provinces receive them from it; every node lays the
// changes it holds over the compiled table (division_data.cpp) at start and again whenever one
// arrives, so that every lookup of division.hpp (ID numbers, the organisation tree, school
// codes) knows the new divisions and names.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace nemis::codes {

enum class DivisionChangeKind { kAdd, kRename, kRetire };

std::string_view DivisionChangeKindId(DivisionChangeKind kind);    // "add", "rename", "retire"
std::string_view DivisionChangeKindName(DivisionChangeKind kind);  // 新设, 更名, 撤销
std::optional<DivisionChangeKind> ParseDivisionChangeKind(std::string_view id);

inline constexpr size_t kMaxDivisionNameChars = 50;

struct DivisionChange {
  DivisionChangeKind kind = DivisionChangeKind::kAdd;
  std::string code;       // 6 digits
  std::string name;       // add, rename: the name from then on; retire: the name it had
  std::string successor;  // retire: the division that took its area over, or empty
};

/// What is wrong with applying `change` to the table as it stands now, each problem naming its
/// field ("code", "name", "successor"); empty when it may be applied. A retirement's name is
/// not checked (it is the table's).
std::vector<FieldError> CheckDivisionChange(const DivisionChange& change);

/// The same against the compiled table with `stored` laid over it, in order: the table as it
/// will stand once every change a node holds (those in effect and those scheduled) is in
/// effect — what a new change follows.
std::vector<FieldError> CheckDivisionChangeAfter(const DivisionChange& change,
                                                 std::span<const DivisionChange> stored);

/// The name of the division `code` in that table ("" when unknown there).
std::string DivisionNameAfter(std::string_view code, std::span<const DivisionChange> stored);

/// Lays `changes`, in order, over the compiled table, and makes the result the table every
/// lookup reads from now on. Each change leaves its division in one defined state whatever
/// the table held before (added or renamed: current with that name; retired: kept, not
/// current), so a node built from an older or newer table ends with the same divisions.
void InstallDivisionChanges(std::span<const DivisionChange> changes);

}  // namespace nemis::codes
