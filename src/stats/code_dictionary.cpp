#include "stats/code_dictionary.hpp"

namespace nemis::stats {

std::optional<uint32_t> CodeDictionary::Encode(const std::optional<std::string>& text) {
  if (!text) return 0;
  if (auto it = codes_.find(*text); it != codes_.end()) return it->second;
  if (size() > max_code_) return std::nullopt;
  const uint32_t code = size();
  texts_.push_back(*text);
  codes_.emplace(*text, code);
  return code;
}

std::optional<uint32_t> CodeDictionary::Find(std::string_view text) const {
  auto it = codes_.find(std::string(text));
  if (it == codes_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> CodeDictionary::Text(uint32_t code) const {
  if (code == 0 || code > texts_.size()) return std::nullopt;
  return texts_[code - 1];
}

size_t CodeDictionary::MemoryBytes() const {
  size_t bytes = sizeof(*this);
  // Each text twice (the list and the index's key) and an index node around it.
  for (const auto& t : texts_)
    bytes += 2 * (sizeof(std::string) + t.capacity()) + 2 * sizeof(uint32_t);
  return bytes;
}

}  // namespace nemis::stats
