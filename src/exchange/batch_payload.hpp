// The payload of a change batch: {"records":[...]}, each record as change_record.hpp writes
// it, sources' institutions first.
//
// Students, nearly all of every batch, are written and read without nlohmann's DOM: building
// and dumping it was a third of a province's CPU serving batches, and parsing it a sixth of
// the national node's in a catch-up (bench/RESULTS.md). The text written is byte for byte the
// DOM's dump; a payload the fast reader does not wholly follow (an institution, an escape, a
// field it does not know, anything malformed) is read by the DOM reader, so what is
// accepted, refused, and how it reads do not change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "exchange/change_record.hpp"

namespace nemis::exchange {

std::string WritePayload(const std::vector<ChangeRecord>& records);

/// "bad_batch" when the payload is not {"records": [...]} of `count` records, naming the
/// record and field of one that is malformed (RecordFromJson).
Result<std::vector<ChangeRecord>> ReadPayload(std::string_view payload, int64_t count);

namespace internal {
/// The two readers ReadPayload chooses between, for the tests to set side by side: the fast
/// one (nullopt for text it does not wholly follow) and nlohmann's DOM.
std::optional<std::vector<ChangeRecord>> ReadStudentsFast(std::string_view payload, int64_t count);
Result<std::vector<ChangeRecord>> ReadWithDom(std::string_view payload, int64_t count);
}  // namespace internal

}  // namespace nemis::exchange
