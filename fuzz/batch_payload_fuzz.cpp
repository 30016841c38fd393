// The batch payload's fast reader and writer (src/exchange/batch_payload.hpp) against
// nlohmann's DOM. The first byte is the record count the header states, the rest the payload.
// Checks: whatever the fast reader takes, the DOM reader takes too and reads the same; a
// student whose name is the payload text is written byte for byte as the DOM dumps it, or
// refused by both.
#include <nlohmann/json.hpp>
#include <string>

#include "exchange/batch_payload.hpp"
#include "fuzz_check.hpp"

namespace {

using namespace nemis;

std::string Canonical(const std::vector<exchange::ChangeRecord>& records) {
  std::string out;
  for (const auto& r : records) out += std::to_string(r.seq) + exchange::CanonicalRecord(r) + '\n';
  return out;
}

void CheckReader(std::string_view payload, int64_t count) {
  const auto fast = exchange::internal::ReadStudentsFast(payload, count);
  if (!fast) return;
  const auto dom = exchange::internal::ReadWithDom(payload, count);
  FUZZ_CHECK(dom.ok(), "took a payload the DOM reader refuses");
  FUZZ_CHECK(Canonical(*fast) == Canonical(*dom), "read a payload otherwise than the DOM");
}

void CheckWriter(std::string_view text) {
  registry::Student s;
  s.name = std::string(text);
  const std::vector<exchange::ChangeRecord> records = {{1, s}};
  std::string written, dumped;
  bool written_ok = true, dumped_ok = true;
  try {
    written = exchange::WritePayload(records);
  } catch (const nlohmann::json::exception&) {
    written_ok = false;
  }
  try {
    dumped = nlohmann::json{{"records", {exchange::RecordToJson(records[0])}}}.dump();
  } catch (const nlohmann::json::exception&) {
    dumped_ok = false;
  }
  FUZZ_CHECK(written_ok == dumped_ok, "wrote a text the DOM refuses, or refused one it writes");
  FUZZ_CHECK(written == dumped, "wrote otherwise than the DOM dumps");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view payload = fuzz::AsText(data + 1, size - 1);
  CheckReader(payload, data[0] % 4);
  CheckWriter(payload);
  return 0;
}
