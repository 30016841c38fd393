#include "registry/text_fields.hpp"

#include <string>

#include "base/text.hpp"

namespace nemis::registry {

void CheckFreeText(std::string_view text, const char* field, size_t max_chars, const char* label,
                   std::vector<FieldError>& errors) {
  if (!text.empty() && (!IsCleanText(text) || Utf8Length(text) > max_chars))
    errors.push_back(
        {field, "bad_text",
         std::string(label) + "须为不超过 " + std::to_string(max_chars) + " 个字符的文本"});
}

FieldError ListRowError(size_t i, std::string_view field, std::string code,
                        const std::string& why) {
  return {"students[" + std::to_string(i) + "]." + std::string(field), std::move(code),
          "第 " + std::to_string(i + 1) + " 行：" + why};
}

bool CheckListRow(size_t i, std::string_view student_number, std::string_view class_no,
                  std::set<std::string>& seen, std::vector<FieldError>& errors) {
  const size_t before = errors.size();
  const std::string_view number = TrimSpaces(student_number);
  if (number.empty())
    errors.push_back(ListRowError(i, "studentNumber", "required", "学籍号不能为空"));
  else if (!seen.insert(std::string(number)).second)
    errors.push_back(ListRowError(i, "studentNumber", "duplicate", "学籍号在名单中重复"));
  const std::string_view klass = TrimSpaces(class_no);
  if (klass.empty())
    errors.push_back(ListRowError(i, "class", "required", "班号不能为空"));
  else if (!IsCleanText(klass) || Utf8Length(klass) > kMaxClassChars)
    errors.push_back(ListRowError(i, "class", "bad_class", "班号须为不超过 20 个字符的文本"));
  return errors.size() == before;
}

}  // namespace nemis::registry
