// JSON request bodies (src/api/api_json.hpp) and the student JSON of the API
// (src/api/student_json.hpp): the input is a body as a client POSTs it. It is parsed
// with the API's ParseJsonObject, turned into a StudentInput and validated against the
// national standards with a few schools in scope, as POST /api/v1/students does. Checks:
// - a record that validates, written with WriteStudent, is valid JSON that validates
//   again to the very same record (a client may send back what it read, unchanged);
// - JsonText renders every scalar, never throws.
#include <string>
#include <vector>

#include "api/api_json.hpp"
#include "api/json_writer.hpp"
#include "api/student_json.hpp"
#include "fuzz_check.hpp"
#include "student_fixture.hpp"

namespace nemis::fuzz {
namespace {

// What POST /api/v1/students does with a body before it touches the store.
Result<registry::Student> Validate(const api::Json& body) {
  std::vector<std::string> storage;
  registry::StudentInput input;
  NEMIS_TRY(api::StudentInputFromJson(body, storage, input));
  return ValidateForFuzz(input);
}

std::string Written(const registry::Student& s) {
  api::JsonWriter writer;
  api::WriteStudent(writer, s);
  return writer.Take();
}

}  // namespace
}  // namespace nemis::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nemis;
  http::Request req;
  req.body = std::string(fuzz::AsText(data, size));
  auto body = api::ParseJsonObject(req);
  if (!body.ok()) return 0;
  for (const auto& [key, value] : body->items()) (void)api::JsonText(value);

  auto student = fuzz::Validate(*body);
  if (!student.ok()) {
    FUZZ_CHECK(!student.error().fields.empty() || student.error().code != "validation_failed",
               "refused without naming a field");
    return 0;
  }
  std::string first = fuzz::Written(*student);
  api::Json reread = api::Json::parse(first, nullptr, false);
  FUZZ_CHECK(reread.is_object(), "WriteStudent wrote invalid JSON");
  auto again = fuzz::Validate(reread);
  if (!again.ok()) {
    std::fprintf(stderr, "written: %s\nrefused: %s %s\n", first.c_str(),
                 again.error().fields.empty() ? "" : again.error().fields[0].field.c_str(),
                 again.error().fields.empty() ? again.error().message.c_str()
                                              : again.error().fields[0].code.c_str());
  }
  FUZZ_CHECK(again.ok(), "a record as written is refused when sent back");
  FUZZ_CHECK(fuzz::Written(*again) == first, "a record sent back changes");
  return 0;
}
