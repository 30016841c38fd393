// Downward: the division changes the national node recorded (org/division_change_store.hpp),
// as a province asks for them (GET /exchange/v1/divisions?after=SEQ, signed; the answer sealed
// for it and signed by the national node) once a poll round (national_poller.hpp):
//   {"changes": [{"seq": 1, "kind": "add", "code": "440199", "name": "…", "successor": "",
//                 "effectiveOn": "2026-12-01", "reference": "国函〔2026〕1号",
//                 "recordedAt": "…", "receivedAt": "…"}, …],
//    "complete": true}
// "complete" is false when more follow the last one given.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"
#include "org/division_change_store.hpp"

namespace nemis::exchange {

/// At most this many changes in one answer.
inline constexpr int kDivisionFeedLimit = 1000;

struct DivisionFeed {
  std::vector<org::DivisionChangeRecord> changes;
  bool complete = true;
};

/// One change as the API and the feed write it.
nlohmann::ordered_json DivisionChangeToJson(const org::DivisionChangeRecord& record);

/// On the national node: the changes after `after`, at most kDivisionFeedLimit.
Result<DivisionFeed> ReadDivisionFeed(db::Database& db, int64_t after);

std::string DivisionFeedToJson(const DivisionFeed& feed);
/// The national node's answer; "bad_answer" naming the item when it is not the above.
Result<DivisionFeed> DivisionFeedFromJson(std::string_view text);

}  // namespace nemis::exchange
