// Reading an award list file (award_list.hpp) into rows whose fields are each well formed;
// what the registry says of them is checked afterwards (award_list.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aid/aid_programme.hpp"
#include "aid/award_list.hpp"
#include "base/result.hpp"

namespace nemis::aid {

/// Where a list's errors go: the first `max` are kept, the rest only counted.
class AwardErrors {
 public:
  explicit AwardErrors(size_t max) : max_(max) {}
  void Add(uint64_t line, std::string column, std::string message);
  bool empty() const { return errors_.empty(); }
  /// Moves the errors into `report`.
  void Into(AwardListReport& report);

 private:
  size_t max_;
  bool more_ = false;
  std::vector<AwardRowError> errors_;
};

struct ListedRow {
  uint64_t line = 0;
  std::string number;  // the student number, upper case
  std::string name;
  const AidProgramme* programme = nullptr;
  int school_year = 0;
  int64_t amount_fen = 0;
};

/// The rows of the file whose fields are well formed; the others go to `errors`, as do
/// rows repeating an earlier row's student, programme and year. Fails when the file cannot
/// be read as a list at all (see KeepAwardList).
Result<std::vector<ListedRow>> ReadAwardListFile(const std::string& path,
                                                 const AwardListOptions& options,
                                                 AwardErrors& errors, int64_t& rows_read);

}  // namespace nemis::aid
