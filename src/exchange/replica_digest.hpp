// Whether two nodes hold the same of a province: an SM3 digest over the province's
// institutions and students as they cross between nodes (change_record.hpp: the fields the
// receiving node may hold), each record in a canonical form, in natural-key order. Equal
// digests on the source and the receiver mean nothing was lost, duplicated or changed on the
// way (the exchange's fault tests and `nemis exchange digest` compare them). A registration
// its province gave up to another's (conflict_cases.hpp) is not the province's any more, for
// the national node does not take it: it is left out.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"

namespace nemis::exchange {

struct ReplicaDigest {
  int64_t institutions = 0, students = 0;
  std::string institutions_sm3, students_sm3;  // hex
  bool operator==(const ReplicaDigest&) const = default;
};

/// The digest of what this node holds of `province` (its division code, e.g. "440000").
Result<ReplicaDigest> DigestProvince(db::Database& db, const crypto::FieldCipher& cipher,
                                     std::string_view province);

}  // namespace nemis::exchange
