#include "personal_data_scan.hpp"

namespace nemis::it {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// GB 11643: weights 2^(17-i) mod 11; the check character indexes "10X98765432".
bool HasValidCheck(std::string_view id) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (id[i] - '0') * kWeights[i];
  return "10X98765432"[sum % 11] == id[17];
}

}  // namespace

std::vector<std::string> FindIdNumbers(std::string_view text) {
  std::vector<std::string> found;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    size_t end = i;
    if (end - start == 17 && i < text.size() && (text[i] == 'X' || text[i] == 'x')) end = ++i;
    if (end - start == 18) {
      std::string id(text.substr(start, 18));
      if (id[17] == 'x') id[17] = 'X';
      if (HasValidCheck(id)) found.push_back(id);
    }
  }
  return found;
}

}  // namespace nemis::it
