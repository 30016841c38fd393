// Cross-province transfers between two provincial nodes, as the national node relays them
// (transfer_relay.hpp) and the provinces carry them out (transfer_handover.hpp). One signed
// call, POST /exchange/v1/transfers, both posts what a province has for the national node and
// answers what it must act on; every item is idempotent, so a round cut anywhere is simply
// run again:
//   - the receiving province's requests (its transfer.external_in cases now waiting at the other
//     node's step), withdrawals its schools asked for while they wait there, and completions
//     (the student enrolled there);
//   - the sending province's verdicts (released, with the student's record as it left;
//     refused, with why; withdrawn, its case closed on the receiving school's withdrawal) and
//     the progress of its open cases (told when it changes).
// The answer tells the sending province the transfers asked of it (with a withdrawal, when
// asked), and the receiving one the state of its requests (the record when released, the
// sending side's progress while requested).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "registry/student.hpp"

namespace nemis::exchange {

/// A receiving province's request: its case and what the receiving school gave.
struct TransferAsk {
  int64_t case_id = 0;         // the receiving node's case (transfer.external_in)
  std::string from_province;   // the sending province's node code, e.g. "450000"
  std::string student_number;  // as the family gave it
  std::string name;
  std::string to_school, to_school_name;
  int grade = 0;
  std::string class_no, reason, date;  // date YYYY-MM-DD
  bool operator==(const TransferAsk&) const = default;
};

/// The receiving school withdraws its request while its case waits at the other node's step.
/// The sending province closes its case, unless it has released the student: then the release
/// stands and the student is enrolled (never lost).
struct TransferWithdrawal {
  int64_t case_id = 0;  // the receiving node's case
  std::string reason;
  bool operator==(const TransferWithdrawal&) const = default;
};

/// Where the sending province's case on a transfer stands: the step waiting and its deadline
/// (business dates, Asia/Shanghai). No institution or person: only the step's name.
struct TransferProgress {
  int64_t id = 0;         // the national node's transfer id
  int step = 0;           // the step waiting, from 0
  int steps = 0;          // of how many
  std::string step_name;  // e.g. 转出县审核
  std::string since;      // YYYY-MM-DD: the step began
  std::string due_on;     // YYYY-MM-DD: the step's deadline
  bool operator==(const TransferProgress&) const = default;
};

/// The sending province's decision on a transfer asked of it.
struct TransferVerdict {
  int64_t id = 0;       // the national node's transfer id
  std::string verdict;  // released (its case approved, the student left), refused, withdrawn
  std::string comment;  // refused, withdrawn: why
  std::optional<registry::Student> student;  // released: the record as it left
  std::string since;  // the request's time as the national node told it ("" unknown)
};

struct TransferPost {
  std::vector<TransferAsk> requests;
  std::vector<TransferVerdict> verdicts;
  std::vector<int64_t> completions;  // transfers released and enrolled at the receiving node
  std::vector<TransferWithdrawal> withdrawals;
  std::vector<TransferProgress> progress;
  bool empty() const {
    return requests.empty() && withdrawals.empty() && verdicts.empty() && progress.empty() &&
           completions.empty();
  }
};

/// A transfer asked of the sending province.
struct IncomingTransfer {
  int64_t id = 0;
  std::string to_province;
  TransferAsk ask;         // case_id is the other node's and not told
  std::string since;       // when the national node took the request (UTC)
  std::string withdrawal;  // the receiving school asked to withdraw: why ("" when not asked)
};

/// Where a receiving province's request stands.
struct TransferOutcome {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string state;                         // requested, released, refused, withdrawn
  std::string comment;                       // refused, withdrawn: why
  std::optional<registry::Student> student;  // released: the record to enrol
  std::optional<TransferProgress> progress;  // requested: the sending side's, once told
};

struct TransferAnswer {
  std::vector<IncomingTransfer> incoming;
  std::vector<TransferOutcome> outcomes;
  bool empty() const { return incoming.empty() && outcomes.empty(); }
};

/// One request as text (the national node keeps it sealed) and read back; validation_failed
/// naming the field otherwise.
std::string AskToText(const TransferAsk& ask);
Result<TransferAsk> AskFromText(std::string_view text);

/// A progress without its id as text (the national node and the receiving node keep it) and
/// read back; validation_failed naming the field otherwise.
std::string ProgressToText(const TransferProgress& progress);
Result<TransferProgress> ProgressFromText(std::string_view text);

/// The post as the receiving node reads it: validation_failed naming the item and field.
std::string PostToJson(const TransferPost& post);
Result<TransferPost> PostFromJson(std::string_view body);

/// The answer's payload; read back, "bad_answer" naming what is malformed.
std::string AnswerToJson(const TransferAnswer& answer);
Result<TransferAnswer> AnswerFromJson(std::string_view payload);

}  // namespace nemis::exchange
