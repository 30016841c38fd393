// Sending awards to the finance department to be paid (资助资金发放, through the finance
// department's payment platform: exchange/finance_office.hpp is the adapter). A run takes
// the awards in scope still to be paid — listed, or sent before without a final answer —
// a batch at a time in id order, marks them sent (committed before anything leaves the node,
// so no award sent can be changed or re-listed meanwhile), sends them, and keeps each
// answer: 已发放 (paid, with finance's voucher number), 未发放 (refused, with its reason) or
// 处理中 (still sent: asked again by the next run).
//
// Each award travels under its payment id, the same every time it is sent: finance pays a
// payment id once, so a run cut short (a timeout after finance paid, a crash before the
// answers were kept) is simply run again. What leaves the node per award is what finance
// needs to pay it: the student's resident ID and name (read from the registry when sent,
// so a corrected name goes), the programme, the school year, the amount and the school code.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"

namespace nemis::aid {

struct AidPayment {
  std::string payment_id;  // 32 hex digits
  std::string id_number, name;
  std::string programme, programme_name;
  int school_year = 0;
  int64_t amount_fen = 0;
  std::string school_code;
};

struct AidPaymentResult {
  std::string payment_id;
  std::string result;  // "已发放", "未发放" or "处理中", as finance says it
  std::string reference, reason;
};

/// Finance's answers for `payments`, in any order; a payment it does not answer stays sent
/// and is sent again next time. Fails ("peer_unavailable", "peer_refused", "bad_answer")
/// when finance cannot be asked.
using PayAwards =
    std::function<Result<std::vector<AidPaymentResult>>(std::span<const AidPayment> payments)>;

struct PaymentRunOptions {
  int batch = 500;                 // awards per request
  std::optional<int> school_year;  // only this school year's awards
  std::string now;                 // UTC timestamp kept as sent_at and settled_at
};

struct PaymentRunReport {
  int64_t sent = 0;        // awards whose payment left the node (the failed batch included)
  int64_t paid = 0;        // answered 已发放
  int64_t refused = 0;     // answered 未发放
  int64_t pending = 0;     // answered 处理中
  int64_t unanswered = 0;  // sent, no answer about them
  int64_t skipped = 0;     // not sent: the student is gone or has no resident ID any more
  Status stopped;          // why the run stopped short; ok when it went through
};

/// Sends the awards of `scope` still to be paid; see the file comment.
PaymentRunReport SendAwardsForPayment(db::Database& db, const crypto::FieldCipher& cipher,
                                      const org::Scope& scope, const PayAwards& pay,
                                      const PaymentRunOptions& options);

}  // namespace nemis::aid
