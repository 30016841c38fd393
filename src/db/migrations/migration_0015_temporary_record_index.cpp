// The J and L records without an identity document, by name: a roster import looks up every
// row that has a document among them (registry/temporary_record.hpp), so that a child first
// registered without one is linked, not registered twice. Few students lack a document; the
// partial index keeps those lookups off the many namesakes who have one.
#include <string_view>

namespace nemis::db {

std::string_view Migration0015TemporaryRecordIndex() {
  return R"SQL(
CREATE INDEX student_temporary ON student (name{{bytewise}}) WHERE id_type IS NULL;
)SQL";
}

}  // namespace nemis::db
