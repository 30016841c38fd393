// A copy of the audit log's signed checkpoints outside the database: one JSON line per
// checkpoint in an append-only file beside the node's signing key (audit.checkpoint_file,
// by default audit_checkpoints.jsonl in the key's directory), written and fsynced once the
// checkpoint is stored. Whoever can write to the database but not to the node's files can
// recompute the chain after the last checkpoint the database holds, delete checkpoint
// rows, delete the last entries or rewind the head; none of that reaches this file, and
// Verify checks the database against it (verify.hpp). Lines are never rewritten; a line
// an interrupted append left without its newline is cut off by the next append.
//
//   {"seq":120,"entryHash":"<64 hex>","signedAt":"2026-11-21T23:16:16.123Z",
//    "signature":"<SM2 DER, hex>","keyId":"<16 hex>"}
//
// keyId names the signing key (the first 8 bytes of SM3 over its public key PEM), so
// that a reader can tell lines of another key from forged ones. A purge (purge.hpp) adds
// `"purgeAnchor":true` to the line of the anchor it leaves: the log may start after an
// entry only where such a line says so, so deleting the first entries and moving the
// anchor to an ordinary checkpoint is noticed.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "audit/checkpoint.hpp"
#include "base/result.hpp"
#include "crypto/sm2.hpp"

namespace nemis::audit {

/// "audit_checkpoints.jsonl" in the directory of `signing_key_file`.
std::string DefaultCheckpointFile(const std::string& signing_key_file);

/// The keyId of lines signed by `key`.
std::string KeyId(const crypto::Sm2PrivateKey& key);

/// One line of the file: a checkpoint, or nothing when the line is not one.
struct CheckpointLine {
  int64_t number = 0;  // 1-based
  std::optional<CheckpointInfo> checkpoint;
  std::string key_id;
  bool purge_anchor = false;
};

class CheckpointFile {
 public:
  explicit CheckpointFile(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }

  /// Appends `checkpoint` as one line and fsyncs it, creating the file (mode 0600) and
  /// missing directories (0700). Appends of several processes take turns (flock).
  /// "checkpoint_file_io" on failure. `purge_anchor` marks the anchor a purge leaves.
  Status Append(const CheckpointInfo& checkpoint, std::string_view key_id,
                bool purge_anchor = false) const;

  /// Creates the file, empty, if it does not exist (as Append would, without a line).
  Status Create() const;

  /// Calls `each` for every complete line, in file order (one line in memory at a time);
  /// returns false, without calling it, when the file does not exist.
  Result<bool> ForEach(const std::function<Status(const CheckpointLine&)>& each) const;

  /// The validly signed checkpoint with the highest seq among the last lines (the file's
  /// last 64 KiB): where signing starts checking from. Nothing when there is none.
  Result<std::optional<CheckpointInfo>> Last(const crypto::Sm2PublicKey& key) const;

 private:
  std::string path_;
};

}  // namespace nemis::audit
