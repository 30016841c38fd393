// The free-text fields of the registry's requests — a reason, a document number, a class —
// and the rule they share: clean text (no control characters) of at most a few characters.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace nemis::registry {

inline constexpr size_t kMaxReasonChars = 200;    // 异动原因, 更正原因, 处理理由, ...
inline constexpr size_t kMaxDocumentChars = 100;  // 文号, 证明材料文号
inline constexpr size_t kMaxClassChars = 20;      // 班号

/// Adds {field, "bad_text", "<label>须为不超过 N 个字符的文本"} to `errors` when `text` is not
/// empty and not clean text of at most `max_chars` characters; an empty text is the
/// caller's to require.
void CheckFreeText(std::string_view text, const char* field, size_t max_chars, const char* label,
                   std::vector<FieldError>& errors);

/// A refusal of row `i` (0-based) of a list of students: field "students[i].<field>", the
/// message "第 i+1 行：<why>".
FieldError ListRowError(size_t i, std::string_view field, std::string code, const std::string& why);

/// The student number and class of row `i` of a list: both required, the number once in
/// the list (`seen`), the class clean text of at most kMaxClassChars. Returns whether the
/// row passed; its refusals are added to `errors`.
bool CheckListRow(size_t i, std::string_view student_number, std::string_view class_no,
                  std::set<std::string>& seen, std::vector<FieldError>& errors);

}  // namespace nemis::registry
