// Cross-province transfers on the national node: it relays between the receiving province,
// whose school asked for a student it cannot find on its own node (registry/
// transfer_external.hpp), and the sending province that holds the student's registration
// (transfer_messages.hpp describes the one call that carries it all):
//   requested  the receiving province's request, checked against the national copy: the
//              number is held in the named province, under that name, and no other transfer
//              of it is under way; otherwise refused at once, saying why;
//   released   the sending province's cases approved it and the student left there (status
//              10); its record as it left is kept, sealed, for the receiving province;
//   refused    the sending province refused (or could not find the student);
//   withdrawn  the receiving school withdrew its request before the sending province released
//              the student, and the sending province closed its case on it;
//   completed  the receiving province enrolled the student; the record is dropped.
// The national copy of the student moves to the receiving province when that province's
// registration arrives (change_applier.cpp), not before: one copy, never two. Transfer ids are
// random (national_id.hpp): restored from an older backup, the node never reuses a forgotten one.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "exchange/transfer_messages.hpp"

namespace nemis::exchange {

/// What one call changed, for the audit entry.
struct RelayCounts {
  int requested = 0, refused_at_once = 0, released = 0, refused = 0, completed = 0;
  int withdrawals = 0, withdrawn = 0, progress = 0;
  int unknown = 0;  // verdicts on transfers not asked of the province: ignored, logged
  bool any() const {
    return requested || refused_at_once || released || refused || completed || withdrawals ||
           withdrawn || progress || unknown;
  }
};

struct RelayResult {
  RelayCounts taken;
  TransferAnswer answer;
};

/// Takes what `province` (its node code) posts, each item once however often it is posted,
/// in one write transaction, then answers what concerns it. A verdict on a transfer not asked of
/// this province is ignored (counted); so are progress on it, and a withdrawal of a request
/// no longer undecided (released: the student is enrolled as released). Refusal (422, naming the
/// item): a released record of another student.
Result<RelayResult> RelayTransfers(db::Database& db, const crypto::FieldCipher& cipher,
                                   std::string_view province, const TransferPost& post,
                                   std::string_view now);

/// Where the national node's transfers stand for one province, for its IT staff (the portal's
/// 数据交换 page): those awaiting the province's decision as the sending side, and those released
/// to it as the receiving side and not yet enrolled there (children in transit), with the
/// oldest release's time; and how long the province has kept transfers undecided: the oldest
/// request's time and how many wait at a step past its deadline there (as it last told).
struct ProvinceTransfers {
  int64_t awaiting = 0;          // requested of the province, undecided
  std::string awaiting_since;    // the oldest of them taken (UTC), "" when none
  int64_t overdue = 0;           // of them, waiting at a step past its deadline on `today`
  int64_t in_transit = 0;        // released to the province, not yet enrolled there
  std::string in_transit_since;  // the oldest release's time (UTC), "" when none
};

/// For each province with any (node code → counts); overdue as of `today` (Asia/Shanghai).
Result<std::map<std::string, ProvinceTransfers>> TransfersByProvince(db::Database& db, Date today);

/// The latest transfer of the student of `number_index` that left `from` for `to`, released
/// or completed (the national copy follows it): the replica's question when one of the two
/// provinces sends the student.
Result<bool> TransferredBetween(db::Connection& c, std::string_view number_index,
                                std::string_view from, std::string_view to);
/// Whether the latest transfer of the student left `from` (released or completed).
Result<bool> TransferredAwayFrom(db::Connection& c, std::string_view number_index,
                                 std::string_view from);

}  // namespace nemis::exchange
