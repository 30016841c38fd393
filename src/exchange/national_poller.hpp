// On a province's node: every exchange.conflict_poll_ms it runs one round with the national
// node, so that what the national node knows of this province's students becomes cases here
// within seconds:
//   - conflicts: it sends the verdicts of the conflict cases that ended here, asks for its
//     conflicts and keeps the cases in step (conflict_cases.hpp), ending a registration given
//     up;
//   - transfers: it posts its cross-province transfer requests, verdicts and completions and
//     carries out the answer (transfer_handover.hpp);
//   - divisions: it asks for the division changes after the last it holds and carries them
//     into its table and tree (division_feed.hpp, org/division_change_store.hpp).
// A failed round is retried at the next: verdicts and completions stay pending until the
// national node has taken them; cases open once per conflict or transfer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "exchange/conflict_cases.hpp"
#include "exchange/division_feed.hpp"
#include "exchange/transfer_handover.hpp"
#include "workflow/case_store.hpp"

namespace nemis::exchange {

/// What the node's IT staff see of the poller (/metrics).
struct NationalPollStatus {
  int64_t rounds = 0, failures = 0;                   // since the node started
  bool last_ok = false;                               // the last round went through
  std::string last_error_code;                        // of the last failure ("" after a success)
  int64_t cases_opened = 0, registrations_ended = 0;  // conflicts, since the node started
  int64_t transfer_cases_opened = 0, transfers_enrolled = 0, transfer_failures = 0;
  int64_t division_changes_received = 0;
};

struct NationalPollReport {
  ConflictSyncReport conflicts;
  TransferSyncReport transfers;
  int division_changes = 0;  // received this round
};

class NationalPoller {
 public:
  /// The calls to the national node (cli/national_client.hpp over HTTP).
  struct National {
    std::function<Result<ReportedConflicts>()> fetch;
    std::function<Status(const std::vector<ConflictVerdict>&)> report;
    std::function<Result<TransferAnswer>(const TransferPost&)> transfers;
    std::function<Result<DivisionFeed>(int64_t after)> divisions;
  };

  NationalPoller(db::Database& db, const crypto::FieldCipher& cipher, workflow::CaseStore& cases,
                 std::string province, National national, std::chrono::milliseconds interval);
  ~NationalPoller();
  NationalPoller(const NationalPoller&) = delete;
  NationalPoller& operator=(const NationalPoller&) = delete;

  void Start();
  void Stop();
  /// One round: conflicts, transfers, then divisions (each whether or not another failed); the
  /// first failure is the round's.
  Result<NationalPollReport> RunOnce();
  /// The rounds the poller's thread ran (RunOnce called directly is not counted).
  NationalPollStatus Status() const;

 private:
  void Run();
  void Record(const Result<NationalPollReport>& round);
  Result<ConflictSyncReport> ConflictRound();
  Result<TransferSyncReport> TransferRound();
  Result<int> DivisionRound();

  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  workflow::CaseStore& cases_;
  std::string province_;
  National national_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  NationalPollStatus status_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nemis::exchange
