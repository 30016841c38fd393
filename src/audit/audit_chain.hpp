// The SM3 hash chain of the audit log: how an entry is serialised and hashed, and what a
// checkpoint signs.
//
// Canonical serialisation of entry number `seq` (all integers big-endian):
//
//   canonical(seq, e) = "NEMIS-AUDIT-1"                       13-byte format tag
//                    || u64(seq)                             8 bytes, two's complement
//                    || field(time) || field(account) || field(roles) || field(scope)
//                    || field(source_ip) || field(request_id) || field(action)
//                    || field(target) || field(outcome) || field(details)
//   field(s)          = u32(byte length of s) || the bytes of s (UTF-8, exactly as stored;
//                       empty details are stored, and hashed, as "{}")
//
// Ten fields, always in this order, each with its length in front: the serialisation
// parses back in exactly one way, so two different entries (or the same entry at two
// places in the chain) never serialise alike: ("ab", "c") and ("a", "bc") differ in
// their length prefixes.
//
//   entry_hash(seq) = SM3(entry_hash(seq - 1) || canonical(seq, e))      32 bytes
//
// The first entry chains to 32 zero bytes; after a purge, the chain starts from the
// anchor (the last purged entry's seq and hash) kept in audit_head. Hashes are stored as
// lowercase hex.
//
// A checkpoint is an SM2 signature (with SM3, crypto/sm2.hpp) by the node key over
//
//   "NEMIS-AUDIT-CHECKPOINT-1" || u64(seq) || entry_hash(seq) (32 bytes)
//                              || u32(byte length of signed_at) || signed_at
//
// where signed_at is the UTC time of signing: the log held this chain no later than then.
// The entry's own time is covered by entry_hash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "audit/audit_entry.hpp"

namespace nemis::audit {

inline constexpr size_t kHashBytes = 32;

/// What the first entry chains to: 32 zero bytes.
std::string GenesisHash();

/// canonical(seq, e) as above.
std::string CanonicalEntry(int64_t seq, const AuditEntry& e);

/// entry_hash(seq) from the previous entry's raw 32-byte hash; 32 raw bytes.
std::string ChainHash(std::string_view prev_hash, int64_t seq, const AuditEntry& e);

/// The bytes a checkpoint signs (`entry_hash` raw, 32 bytes).
std::string CheckpointMessage(int64_t seq, std::string_view entry_hash, std::string_view signed_at);

}  // namespace nemis::audit
