#include "exchange/national_id.hpp"

#include <cstring>
#include <string>

#include "crypto/random.hpp"

namespace nemis::exchange {

int64_t NewNationalId() {
  uint64_t bits = 0;
  const std::string bytes = crypto::RandomBytes(sizeof bits);
  std::memcpy(&bits, bytes.data(), sizeof bits);
  constexpr uint64_t kLow = uint64_t{1} << 32, kSpan = (uint64_t{1} << 53) - kLow;
  return static_cast<int64_t>(kLow + bits % kSpan);
}

}  // namespace nemis::exchange
