// A cross-province transfer whose sending province lives on another node (两级建设: each
// province runs its own node). The receiving school cannot find the student here, so it says
// which province the student comes from (fromProvince) and gives the number and name as the
// family does. The case opens with this node's steps (转入县, 转入省) and then waits at the
// other node's party (workflow/external_party.hpp), where no one here can act: the exchange
// between nodes (the data exchange issue) carries it there, brings back its decisions and the
// student. What it needs to do so is kept sealed beside the case (table external_transfer).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/institution.hpp"
#include "registry/registry_calendar.hpp"
#include "workflow/approval_case.hpp"
#include "workflow/case_store.hpp"

namespace nemis::registry {

inline constexpr std::string_view kExternalTransferType = "transfer.external_in";

struct ExternalTransfer {
  std::string from_province;   // two digits, a province this node does not hold
  std::string student_number;  // as the family gives it (G, J or L and 18 characters)
  std::string name;
  std::string subject;  // the case subject (StudentSubject of the number)
  int grade = 0;
  std::string class_no, reason;
  Date date;
};

/// Opens the case into `to` (checked open, and the caller's permission there, by the caller),
/// inside the write transaction `c`. Refusals: validation_failed (studentNumber bad_number,
/// name required), grade_not_offered, transfer_pending, transfers_closed and
/// graduating_business_closed (registry_calendar.hpp).
Result<workflow::ApprovalCase> OpenExternalTransfer(
    db::Connection& c, const crypto::FieldCipher& cipher, workflow::CaseStore& cases,
    const workflow::Actor& actor, const org::Institution& to, const ExternalTransfer& request,
    const RegistryCalendar& calendar, Date today, const std::string& now);

/// The end of a transfer.external_in case by a person on this node (the exchange ends it at
/// the other node's step itself, transfer_handover.hpp): approval is the other node's alone
/// (external_case); cancelling it once it waits for the other node is refused
/// (transfer_at_other_node: that node may be releasing the student at this moment; the opener
/// asks to withdraw instead, AskWithdrawal).
Status OnExternalEnd(const workflow::ApprovalCase& kase);

/// Whether `kase` is a transfer.external_in case at its last step, the other node's.
bool WaitsAtOtherNode(const workflow::ApprovalCase& kase);

/// Where the other node's side of a transfer.external_in case stands, as the exchange last
/// heard it (exchange/transfer_handover.hpp).
struct ExternalStanding {
  std::string state;     // waiting, completed, refused, withdrawn
  std::string progress;  // the sending case's step and deadline, JSON as told ("" not yet)
  std::string withdrawal, withdrawal_asked_at, withdrawal_asked_by;  // "" when not asked
};

/// None for a case that is not a transfer.external_in case.
Result<std::optional<ExternalStanding>> LoadExternalStanding(db::Connection& c, int64_t case_id);

/// Whoever opened `kase` asks to withdraw it while it waits at the other node's step, inside
/// the write transaction `c`: the withdrawal goes there with the next exchange rounds; the
/// other node closes its case unless it has released the student (then the student is
/// enrolled here as released), and its answer closes this case. Refusals: 403 for anyone else,
/// 409 not_at_other_node (not at that step: cancel it instead) or withdrawal_asked (asked
/// before), 422 validation_failed naming reason.
Status AskWithdrawal(db::Connection& c, const workflow::ApprovalCase& kase,
                     std::string_view account, std::string_view reason, std::string_view now);

/// Whether the province of the two digits `province2` is on another node: this node's tree
/// does not hold its division.
Result<bool> ProvinceElsewhere(db::Connection& c, const std::string& province2);

}  // namespace nemis::registry
