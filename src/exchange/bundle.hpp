// Offline bundles (离线交换包) for units without a network link: the same sealed and signed
// batches as the online exchange (batch_envelope.hpp), one JSON line each, after a header line
//   {"format":"nemis.exchange.bundle.v1","source":..,"receiver":..,"after":..,"last":..,
//    "batches":..,"certificate":"<the source's certificate, PEM>"}
// An import checks everything before it applies anything: the source's certificate against
// this node's CA (and its register of nodes), each batch's signature and seal, and continuity
// (the first batch starts at the header's `after`, at or before this node's checkpoint, each
// next one where the previous ended, the last at the header's `last`: no gap, no repeat).
// Then it applies the batches in order, each with the checkpoint (change_applier.hpp), so an
// import cut short is finished by importing the same file again.
#pragma once

#include <cstdint>
#include <filesystem>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "exchange/batch_envelope.hpp"
#include "exchange/node_identity.hpp"

namespace nemis::exchange {

inline constexpr std::string_view kBundleFormat = "nemis.exchange.bundle.v1";

struct BundleSummary {
  int64_t after = 0, last = 0;
  int64_t batches = 0;
  int64_t records = 0;    // records in the batches (export) or written (import)
  int64_t repeated = 0;   // batches this node had applied already (import)
  int64_t conflicts = 0;  // records kept out as conflicts (import)
};

/// Writes this node's changes after `after` for the node holding `receiver` (a certificate
/// from the same CA) to a new file `to` ("bundle_exists" if there is one), in batches of at
/// most `batch_changes` log rows, each `encoding` (v1 unless the receiver is known to read
/// v2: about a tenth of the size).
Result<BundleSummary> ExportBundle(db::Database& db, const crypto::FieldCipher& cipher,
                                   const NodeIdentity& self, const crypto::Sm2Certificate& receiver,
                                   int64_t after, const std::filesystem::path& to,
                                   int64_t batch_changes,
                                   PayloadEncoding encoding = PayloadEncoding::kPlain,
                                   const Clock& clock = Clock::System());

/// Verifies and applies a bundle addressed to this node. Refusals name the line:
/// "bad_bundle" (malformed), "bundle_out_of_order" (a gap or a repeat), the certificate's and
/// the batches' own refusals (node_identity.hpp, batch_envelope.hpp).
Result<BundleSummary> ImportBundle(db::Database& db, const crypto::FieldCipher& cipher,
                                   const NodeIdentity& self, const std::filesystem::path& file,
                                   const Clock& clock = Clock::System());

}  // namespace nemis::exchange
