// Students as they cross between nodes (exchange/): read whole by internal id on the source
// node, written by student number (their natural key) on the receiving one, sealed there
// with the receiver's own field keys. A replicated row keeps its grade as of its school's
// promotion count on the source (registry/current_grade.hpp), which the replicated school
// carries too (org/org_replica.hpp), so both nodes derive the same grade.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "registry/student.hpp"

namespace nemis::registry {

/// The students of `ids` that exist, in id order, personal data opened, with no viewer's masking:
/// for the node's own jobs that carry them elsewhere or check them there (the exchange, which
/// seals what may cross for the receiving node at once; the population check; aid lists and
/// payments). Not for an answer to a user: that goes through StudentStore and its viewer.
Result<std::vector<Student>> LoadStudentsForExchange(db::Connection& c,
                                                     const crypto::FieldCipher& cipher,
                                                     std::span<const int64_t> ids);

enum class ReplicaWrite {
  kWritten,
  /// The number is held by a student of another province on this node.
  kNumberHeldElsewhere,
  /// The identity document is held by another student on this node.
  kDocumentHeldElsewhere,
};

struct ReplicaOutcome {
  ReplicaWrite write = ReplicaWrite::kWritten;
  int64_t holder_id = 0;  // the student holding the number or document (a conflict)
};

/// Whether WriteReplicaStudents seals the students' personal data for this node's store or the
/// caller did (SealPersonal with the same cipher, e.g. on another thread before the write).
enum class Sealing { kSealHere, kSealedAlready };

/// Inserts or replaces each student of the same number inside the write transaction `c`
/// and logs the changes; the outcomes are in the order of `students`. A student another
/// student already holds the number or the document of is not written: its outcome names the
/// holder (one person, one number: the caller keeps it as a conflict). Refusals, for the whole
/// call: "record_outside_source" (a student outside the source's province) and
/// "unknown_school" (its school not replicated yet). Lookups and inserts go by the batch (a
/// query per 500 students, one bulk insert), not by the student.
Result<std::vector<ReplicaOutcome>> WriteReplicaStudents(
    db::Connection& c, const crypto::FieldCipher& cipher, std::vector<Student>& students,
    std::string_view source_province, std::string_view now, Sealing sealing = Sealing::kSealHere);

/// Writes `student` (of `source_province`) over the copy with internal id `replaced_id`, inside
/// the write transaction `c`, and logs the change: one person, one number resolved for this
/// registration against the one the copy was of (exchange/conflict_resolution.hpp). Refusals as
/// WriteReplicaStudents' (unknown_school); not_found when there is no such copy.
Status ReplaceReplicaStudent(db::Connection& c, const crypto::FieldCipher& cipher, Student student,
                             int64_t replaced_id, std::string_view now);

}  // namespace nemis::registry
