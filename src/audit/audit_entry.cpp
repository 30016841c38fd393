#include "audit/audit_entry.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "base/date.hpp"
#include "base/text.hpp"

namespace nemis::audit {
namespace {

constexpr size_t kMaxFieldBytes = 4096;
constexpr size_t kMaxDetailsBytes = 65536;
constexpr std::string_view kIdCheckChars = "10X98765432";  // GB 11643, ISO 7064 MOD 11-2
constexpr std::array<int, 17> kIdWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int Number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

// 17 digits, a valid birth date and the right check character.
bool IsCitizenIdNumber(std::string_view s) {
  if (s.size() != 18) return false;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (!IsDigit(s[i])) return false;
    sum += (s[i] - '0') * kIdWeights[i];
  }
  Date birth{Number(s.substr(6, 4)), Number(s.substr(10, 2)), Number(s.substr(12, 2))};
  return birth.IsValid() && s[17] == kIdCheckChars[static_cast<size_t>(sum % 11)];
}

// A citizen ID number standing alone (not inside a longer run of digits), e.g. in
// "G440103201501010011", a student number made from one.
bool ContainsCitizenIdNumber(std::string_view text) {
  for (size_t start = 0; start < text.size();) {
    if (!IsDigit(text[start])) {
      ++start;
      continue;
    }
    size_t end = start;
    while (end < text.size() && (IsDigit(text[end]) || text[end] == 'X' || text[end] == 'x')) ++end;
    std::string run(text.substr(start, end - start));
    if (!run.empty() && run.back() == 'x') run.back() = 'X';
    if (IsCitizenIdNumber(run)) return true;
    start = end;
  }
  return false;
}

void CheckText(std::vector<FieldError>& errors, std::string_view field, std::string_view value,
               size_t max_bytes) {
  if (value.size() > max_bytes) {
    errors.push_back(
        {std::string(field), "too_long", "不能超过 " + std::to_string(max_bytes) + " 字节"});
  } else if (!IsValidUtf8(value) || value.find('\0') != std::string_view::npos) {
    errors.push_back({std::string(field), "bad_text", "不是有效的 UTF-8 文本"});
  }
}

}  // namespace

bool IsAuditTime(std::string_view t) {
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (t.size() != kShape.size()) return false;
  for (size_t i = 0; i < t.size(); ++i) {
    if (kShape[i] == 'd' ? !IsDigit(t[i]) : t[i] != kShape[i]) return false;
  }
  Date d{Number(t.substr(0, 4)), Number(t.substr(5, 2)), Number(t.substr(8, 2))};
  return d.IsValid() && Number(t.substr(11, 2)) < 24 && Number(t.substr(14, 2)) < 60 &&
         Number(t.substr(17, 2)) < 60;
}

Status ValidateEntry(const AuditEntry& e) {
  std::vector<FieldError> errors;
  if (!IsAuditTime(e.time))
    errors.push_back({"time", "bad_time", "应为 UTC 时间，如 2026-11-21T23:16:16.123Z"});
  const std::pair<std::string_view, const std::string*> texts[] = {
      {"account", &e.account},    {"roles", &e.roles},          {"scope", &e.scope},
      {"sourceIp", &e.source_ip}, {"requestId", &e.request_id}, {"action", &e.action},
      {"target", &e.target}};
  for (const auto& [field, value] : texts) CheckText(errors, field, *value, kMaxFieldBytes);
  if (e.action.empty()) errors.push_back({"action", "required", "必须说明审计的操作"});
  if (e.outcome != kSuccess && e.outcome != kFailure && e.outcome != kDenied) {
    errors.push_back({"outcome", "bad_outcome", "结果应为 success、failure 或 denied"});
  }
  CheckText(errors, "details", e.details, kMaxDetailsBytes);
  if (!e.details.empty() && !nlohmann::json::accept(e.details)) {
    errors.push_back({"details", "bad_json", "详情应为 JSON"});
  }
  if (ContainsCitizenIdNumber(e.target)) {
    errors.push_back({"target", "personal_data", "审计对象不得包含明文身份证件号，请使用内部编号"});
  }
  if (errors.empty()) return {};
  return Error::Invalid(std::move(errors), "审计记录不完整或不合规");
}

}  // namespace nemis::audit
