// Cross-province transfers, both ways beyond the request and the verdict (exchange/
// transfer_messages.hpp):
// - where the sending province's case stands (its step and that step's deadline), told up by
//   the sending node whenever it changes, kept by the national node and told down to the
//   receiving node, which shows it on its own case;
// - a withdrawal the receiving school asks for while its case waits at the other node, carried
//   up and on to the sending node, which closes its case unless it has released the child.
#include <string_view>

namespace nemis::db {

std::string_view Migration0027TransferProgress() {
  return R"SQL(
ALTER TABLE exchange_transfer ADD COLUMN progress TEXT;    -- JSON, as the sending node last told it
ALTER TABLE exchange_transfer ADD COLUMN withdrawal TEXT;  -- the receiving school's reason, once asked
ALTER TABLE external_transfer ADD COLUMN progress TEXT;    -- JSON, as the national node last told it
ALTER TABLE external_transfer ADD COLUMN withdrawal TEXT;  -- the reason given here
ALTER TABLE external_transfer ADD COLUMN withdrawal_asked_at TEXT;
ALTER TABLE external_transfer ADD COLUMN withdrawal_asked_by TEXT;
ALTER TABLE exchange_transfer_out ADD COLUMN progress_told TEXT;  -- the progress the national node took
)SQL";
}

}  // namespace nemis::db
