// A dictionary of the distinct texts of one column (a stage, an ethnicity code, a class
// name): each text gets a small code in the order it was first seen, code 0 standing for
// NULL. The statistics projection keeps codes, not texts, so a student is a few bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nemis::stats {

class CodeDictionary {
 public:
  /// `max_code`: the largest code the column's integer type holds.
  explicit CodeDictionary(uint32_t max_code) : max_code_(max_code) {}

  /// The code of `text` (0 for NULL), added if new; nullopt when the dictionary is full.
  std::optional<uint32_t> Encode(const std::optional<std::string>& text);
  /// The code of `text` if it has one.
  std::optional<uint32_t> Find(std::string_view text) const;
  /// The text of a code; nullopt for 0 (NULL).
  std::optional<std::string> Text(uint32_t code) const;
  /// How many codes are in use, NULL's included.
  uint32_t size() const { return static_cast<uint32_t>(texts_.size()) + 1; }
  size_t MemoryBytes() const;

 private:
  uint32_t max_code_;
  std::vector<std::string> texts_;  // code - 1 -> text
  std::unordered_map<std::string, uint32_t> codes_;
};

}  // namespace nemis::stats
