// What a receiving school learns of a student of another school before it asks for a
// transfer (转学): the student is found only by the exact student number, or resident ID
// number, together with the name as the family gives them, and the answer holds only what
// the transfer needs, masked. No such number and another name are the same "not found", so
// the lookup cannot be used to browse another school or to learn whose a number is.
#pragma once

#include <string>
#include <string_view>

namespace nemis::registry {

enum class TransferKey { kStudentNumber, kIdNumber };

struct TransferCandidate {
  std::string student_number;  // masked
  std::string name;            // masked: the first character, the rest *
  int gender = 0;
  std::string school_code, school_name;
  std::string stage;
  int grade = 0;
  std::string status;  // 学生当前状态码
};

/// A name as a transfer lookup shows it: its first character, then one * per other one.
std::string MaskName(std::string_view name);

}  // namespace nemis::registry
