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

 private:
  void Run();

  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  workflow::CaseStore& cases_;
  std::string province_;
  National national_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nemis::exchange
