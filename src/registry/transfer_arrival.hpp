// The receiving end of a cross-province transfer between two nodes (exchange/
// transfer_handover.hpp): the student another province's node released (status 10 there) is
// enrolled here, at the school, grade and class the case asked for, under the same national
// number: one person, one number across the move.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/institution.hpp"
#include "registry/student.hpp"

namespace nemis::registry {

struct Arrival {
  int64_t case_id = 0;  // the receiving node's transfer case
  int grade = 0;
  std::string class_no, reason;
  std::string date;   // the transfer's date, YYYY-MM-DD
  std::string today;  // the approval's business date (Asia/Shanghai)
  std::string now;    // UTC
};

/// Enrols `student` (its record as the other node released it) at `school` inside the write
/// transaction `c`, in school (01), with a 转学(转入) change (22) from the school it left: a new
/// registration, or this node's own of the same number (it left here before) brought back.
/// Returns the internal id. Refusal (409): document_held (another student here holds the
/// record's identity document: a duplicate the registry office must resolve first).
Result<int64_t> EnrolArrivingStudent(db::Connection& c, const crypto::FieldCipher& cipher,
                                     Student student, const org::Institution& school,
                                     const Arrival& arrival);

}  // namespace nemis::registry
