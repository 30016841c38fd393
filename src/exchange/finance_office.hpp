// The adapter to the finance department's payment platform (财政部门 惠民惠农财政补贴资金
// “一卡通”, or the department's gateway in front of it) for paying student aid awards
// (aid/award_payment.hpp): a batch of payments sent, a result for each returned. NEMIS speaks
// this interface, documented in docs/exchange.md §5e:
//
//   POST <finance.url>
//   Authorization: Bearer <the token in finance.token_file>
//   {"requestId": "...", "payments": [{"paymentId": "...", "idNumber": "...", "name": "...",
//     "programme": "03", "programmeName": "普通高中国家助学金", "schoolYear": 2026,
//     "amount": "1500.00", "schoolCode": "..."}, ...]}
//   200 {"results": [{"paymentId": "...", "result": "已发放"|"未发放"|"处理中",
//                     "reference": "...", "reason": "..."}]}
//
// Finance pays a paymentId once: sending it again (after a timeout, a crash) gets its result,
// never a second payment. The ID numbers and names travel only in the body.
#pragma once

#include <string>
#include <string_view>

#include "aid/award_payment.hpp"
#include "base/result.hpp"
#include "exchange/department_call.hpp"

namespace nemis::exchange {

/// The service as messages name it.
inline constexpr std::string_view kFinanceOfficeName = "财政部门支付平台";

/// The platform at `endpoint.url`. Its errors: "peer_unavailable" (503: not reachable, timed
/// out, answered 5xx or 429), "peer_refused" (4xx, e.g. a wrong token or a used-up quota; the
/// message carries the status), "bad_answer" (not the answer above).
aid::PayAwards HttpFinanceOffice(DepartmentEndpoint endpoint);

}  // namespace nemis::exchange
