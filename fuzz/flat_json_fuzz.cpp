// The flat-object reader of the exchange's batch envelopes (src/exchange/flat_json_object.hpp)
// against nlohmann's full parser, which reads every envelope it declines. Checks: whatever it
// reads is a JSON object to nlohmann too, with the same keys and the same values (strings,
// integers); it reads nothing JSON refuses.
#include <nlohmann/json.hpp>
#include <string>

#include "exchange/flat_json_object.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nemis;
  const std::string_view text = fuzz::AsText(data, size);
  const auto flat = exchange::ReadFlatJsonObject(text);
  if (!flat) return 0;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(j.is_object(), "read what JSON refuses or is not an object");
  FUZZ_CHECK(j.size() == flat->size(), "a key more or less than JSON reads");
  for (const auto& [key, value] : *flat) {
    const auto it = j.find(std::string(key));
    FUZZ_CHECK(it != j.end(), "a key JSON does not read");
    if (const auto* s = std::get_if<std::string_view>(&value)) {
      FUZZ_CHECK(it->is_string() && it->get<std::string>() == *s, "a string JSON reads otherwise");
    } else {
      FUZZ_CHECK(it->is_number_integer() && it->get<int64_t>() == std::get<int64_t>(value),
                 "an integer JSON reads otherwise");
    }
  }
  return 0;
}
