#include "audit/audit_chain.hpp"

#include "crypto/digest.hpp"

namespace nemis::audit {
namespace {

constexpr std::string_view kEntryTag = "NEMIS-AUDIT-1";
constexpr std::string_view kCheckpointTag = "NEMIS-AUDIT-CHECKPOINT-1";

void PutU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void PutField(std::string& out, std::string_view s) {
  auto n = static_cast<uint32_t>(s.size());  // ValidateEntry keeps fields far below 4 GiB
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  out.append(s);
}

}  // namespace

std::string GenesisHash() { return std::string(kHashBytes, '\0'); }

std::string CanonicalEntry(int64_t seq, const AuditEntry& e) {
  std::string out(kEntryTag);
  out.reserve(out.size() + 8 + 40 + e.details.size() + e.roles.size() + e.target.size() + 128);
  PutU64(out, static_cast<uint64_t>(seq));
  for (const std::string* f : {&e.time, &e.account, &e.roles, &e.scope, &e.source_ip, &e.request_id,
                               &e.action, &e.target, &e.outcome, &e.details}) {
    PutField(out, *f);
  }
  return out;
}

std::string ChainHash(std::string_view prev_hash, int64_t seq, const AuditEntry& e) {
  std::string data(prev_hash);
  data += CanonicalEntry(seq, e);
  return crypto::Sm3(data);
}

std::string CheckpointMessage(int64_t seq, std::string_view entry_hash,
                              std::string_view signed_at) {
  std::string out(kCheckpointTag);
  PutU64(out, static_cast<uint64_t>(seq));
  out.append(entry_hash);
  PutField(out, signed_at);
  return out;
}

}  // namespace nemis::audit
