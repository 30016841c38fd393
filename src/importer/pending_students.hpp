// The valid rows gathered for one commit of an import. The students stay inside the
// verdicts that validated them (nothing is copied: a student is some forty strings);
// the batch itself is a list of pointers, put in document order before it is written.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "importer/batch_validator.hpp"

namespace nemis::importer {

class PendingStudents {
 public:
  /// Takes the verdict's valid rows whose line `keep` accepts, and the verdict with them.
  void Add(BatchVerdict verdict, const std::function<bool(uint64_t line)>& keep);

  /// Orders the rows by the blind index of their number, the key of the student-number
  /// index: its insertions then walk it forward instead of jumping about it. Rows not
  /// sealed yet (J numbers, issued at insertion) go last.
  void SortByNumberIndex();

  /// Removes the rows whose position is marked.
  void Drop(const std::vector<bool>& marked);

  void Clear();
  bool empty() const { return students_.empty(); }
  size_t size() const { return students_.size(); }
  std::span<registry::Student* const> students() const { return students_; }
  const std::vector<uint64_t>& lines() const { return lines_; }

 private:
  std::vector<BatchVerdict> verdicts_;  // own the students; moving one keeps its rows in place
  std::vector<registry::Student*> students_;
  std::vector<uint64_t> lines_;
};

}  // namespace nemis::importer
