// The records of a change batch: an institution or a student as the receiving node may hold
// it (docs/exchange.md lists the fields). A student's contact details (address, phones) and
// guardians' document numbers stay on their province's node; everything else of the
// registry record crosses, inside a batch sealed for the receiver (batch_envelope.hpp).
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "org/org_replica.hpp"
#include "registry/student.hpp"

namespace nemis::exchange {

struct ChangeRecord {
  int64_t seq = 0;  // the source's change-log sequence of the change this state follows
  std::variant<org::ReplicaInstitution, registry::Student> value;
};

nlohmann::json RecordToJson(const ChangeRecord& record);
/// "bad_batch" naming the record (`index`) and the field for anything malformed.
Result<ChangeRecord> RecordFromJson(const nlohmann::json& json, size_t index);

/// The record's crossing form without its sequence (the source's alone): equal on two nodes
/// when they hold the same (replica_digest.hpp, recovery.hpp).
std::string CanonicalRecord(const ChangeRecord& record);

/// A student's record as a conflict keeps it (exchange_conflict.record, change_applier.cpp):
/// sealed with this node's field keys, base64url; and opened again.
std::string SealStudentRecord(const crypto::FieldCipher& cipher, const ChangeRecord& record);
Result<registry::Student> OpenStudentRecord(const crypto::FieldCipher& cipher,
                                            std::string_view sealed);

}  // namespace nemis::exchange
