// Students in JSON: the API uses the flat field names of registry/student_fields.hpp
// for input and output alike, so a client can send back what it read.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "api/api_json.hpp"
#include "api/json_writer.hpp"
#include "http/http.hpp"
#include "registry/student.hpp"
#include "registry/student_input.hpp"

namespace nemis::api {

/// Appends the student as a JSON object (a hot path: no JSON tree is built); `more` writes
/// fields of the caller's after the student's own.
void WriteStudent(JsonWriter& writer, const registry::Student& s,
                  const std::function<void(JsonWriter&)>& more = {});

/// A Warning header on `r` when personal data was masked because its disclosure could not
/// be audited.
void WarnIfUnaudited(http::Response& r, std::span<const registry::Student> shown);

/// Fills `input` with views into `storage`. Read-only fields (numberKind, status,
/// version, createdAt, updatedAt) are ignored; unknown fields and values that are
/// objects or arrays are errors naming the field.
Status StudentInputFromJson(const Json& body, std::vector<std::string>& storage,
                            registry::StudentInput& input);

}  // namespace nemis::api
