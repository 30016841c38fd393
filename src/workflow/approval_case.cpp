#include "workflow/approval_case.hpp"

#include <array>
#include <utility>

namespace nemis::workflow {
namespace {

constexpr std::array<std::pair<CaseStatus, std::string_view>, 4> kStatusNames = {{
    {CaseStatus::kOpen, "open"},
    {CaseStatus::kApproved, "approved"},
    {CaseStatus::kRejected, "rejected"},
    {CaseStatus::kCancelled, "cancelled"},
}};
constexpr std::array<std::pair<CaseAction, std::string_view>, 6> kActionNames = {{
    {CaseAction::kOpen, "open"},
    {CaseAction::kApprove, "approve"},
    {CaseAction::kReject, "reject"},
    {CaseAction::kReturn, "return"},
    {CaseAction::kCancel, "cancel"},
    {CaseAction::kClose, "close"},
}};

template <class E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return "";
}

template <class E, size_t N>
std::optional<E> ValueOf(const std::array<std::pair<E, std::string_view>, N>& names,
                         std::string_view name) {
  for (const auto& [v, n] : names)
    if (n == name) return v;
  return std::nullopt;
}

}  // namespace

std::string_view CaseStatusName(CaseStatus status) { return NameOf(kStatusNames, status); }
std::optional<CaseStatus> CaseStatusFromName(std::string_view name) {
  return ValueOf(kStatusNames, name);
}
std::string_view CaseActionName(CaseAction action) { return NameOf(kActionNames, action); }
std::optional<CaseAction> CaseActionFromName(std::string_view name) {
  return ValueOf(kActionNames, name);
}

bool ActedOnAnotherStep(std::string_view account, const ApprovalCase& kase) {
  if (account == kase.opened_by) return true;
  for (const CaseEvent& e : kase.history)
    if (e.actor == account && e.action == CaseAction::kApprove && e.step != kase.step) return true;
  return false;
}

}  // namespace nemis::workflow
