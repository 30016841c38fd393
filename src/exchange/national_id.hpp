// The ids the national node gives what the provinces hold on to — a cross-province transfer
// (transfer_relay.hpp), a one-person-one-number conflict (change_applier.hpp) — are random, not
// the next number: a national node restored from an older backup must never give a forgotten
// one's id to another, for the provinces still hold it and act on it (they tell the national
// node again what it forgot, transfer_handover.hpp; a case of a conflict no longer reported
// closes, conflict_cases.hpp).
#pragma once

#include <cstdint>

namespace nemis::exchange {

/// A random id in [2^32, 2^53): above any number the store gave before, and exact in JSON
/// readers (the portal's).
int64_t NewNationalId();

}  // namespace nemis::exchange
