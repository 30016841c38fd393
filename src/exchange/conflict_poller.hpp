// On a province's node: every exchange.conflict_poll_ms it sends the national node the
// verdicts of the conflict cases that ended here, then asks for its conflicts about this
// province and keeps the cases in step (conflict_cases.hpp), so that a second registration
// reaching the national node becomes a case here within seconds, and a resolution ends the
// registration given up. A failed round is retried at the next: verdicts stay pending until
// the national node has taken them; cases open once per conflict.
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
#include "workflow/case_store.hpp"

namespace nemis::exchange {

/// What the node's IT staff see of the poller (/metrics).
struct ConflictPollStatus {
  int64_t rounds = 0, failures = 0;                   // since the node started
  bool last_ok = false;                               // the last round went through
  std::string last_error_code;                        // of the last failure ("" after a success)
  int64_t cases_opened = 0, registrations_ended = 0;  // since the node started
};

class ConflictPoller {
 public:
  /// The calls to the national node (cli/national_client.hpp over HTTP).
  struct National {
    std::function<Result<ReportedConflicts>()> fetch;
    std::function<Status(const std::vector<ConflictVerdict>&)> report;
  };

  ConflictPoller(db::Database& db, const crypto::FieldCipher& cipher, workflow::CaseStore& cases,
                 std::string province, National national, std::chrono::milliseconds interval);
  ~ConflictPoller();
  ConflictPoller(const ConflictPoller&) = delete;
  ConflictPoller& operator=(const ConflictPoller&) = delete;

  void Start();
  void Stop();
  /// One round: report the pending verdicts, fetch, bring the cases in step.
  Result<ConflictSyncReport> RunOnce();
  /// The rounds the poller's thread ran (RunOnce called directly is not counted).
  ConflictPollStatus Status() const;

 private:
  void Run();
  void Record(const Result<ConflictSyncReport>& round);

  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  workflow::CaseStore& cases_;
  std::string province_;
  National national_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  ConflictPollStatus status_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nemis::exchange
