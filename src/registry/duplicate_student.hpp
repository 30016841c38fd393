// One person, one number, without telling a caller where a child is enrolled: a document
// already registered is refused naming the school that holds the student only when the
// caller's scope covers that school. Anyone else who may register students would
// otherwise learn a child's school from guessed ID numbers, one at a time or by the
// thousand in an import; they are told only that the person is registered elsewhere and
// to have the duplicate resolved by the county's registry office. (Opening a duplicate
// case for that office comes with the workflow engine, issue 10.)
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/institution.hpp"
#include "org/scope.hpp"

namespace nemis::registry {

/// The document is registered at a school in the caller's scope; the message names it.
inline constexpr std::string_view kDuplicateStudent = "duplicate_student";
/// The document is registered at a school outside the caller's scope; the message does not name it.
inline constexpr std::string_view kRegisteredElsewhere = "registered_elsewhere";

/// What the refusal says of a document registered at `school` (its code, name and
/// ancestor codes suffice) to a caller with `scope`: field "idNumber", code and message.
FieldError DuplicateDocument(const org::Scope& scope, const org::Institution& school);

/// Error::Conflict carrying DuplicateDocument (409 through the API).
Error DuplicateDocumentError(const org::Scope& scope, const org::Institution& school);

/// DuplicateDocumentError when a student other than `except_student` (0: any) holds the
/// document of type `id_type` and number `id_number` (normalised); ok when none does or
/// `id_number` is absent.
Status CheckDocumentFree(db::Connection& c, const crypto::FieldCipher& cipher,
                         const org::Scope& scope, const std::optional<std::string>& id_type,
                         const std::optional<std::string>& id_number, int64_t except_student = 0);

}  // namespace nemis::registry
