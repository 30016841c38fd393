// Finds rows of one file that repeat an earlier row's document or number. Citizen
// IDs pack exactly into 64 bits (codes::PackIdNumber), so ten million of them fit
// in a flat open-addressing table of a few hundred MB instead of gigabytes of nodes.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace nemis::importer {

class FirstOccurrence {
 public:
  /// Records `key` at `line`; returns 0 if it is new, else the line it first appeared on.
  uint64_t Insert(uint64_t key, uint64_t line);
  /// The same for keys that do not pack (other documents, supplied student numbers).
  uint64_t Insert(const std::string& key, uint64_t line);
  /// Whether a string key was recorded.
  bool Contains(const std::string& key) const { return strings_.contains(key); }
  size_t size() const { return used_ + strings_.size(); }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  void Grow();

  std::vector<uint64_t> keys_;
  std::vector<uint64_t> lines_;
  size_t used_ = 0;
  std::unordered_map<std::string, uint64_t> strings_;
};

}  // namespace nemis::importer
