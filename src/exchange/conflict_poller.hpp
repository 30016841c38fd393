// On a province's node: every exchange.conflict_poll_ms it asks the national node for its
// open one-person-one-number conflicts about this province and keeps the cases in step
// (conflict_cases.hpp), so that a second registration reaching the national node becomes a
// case here within seconds. A failed round changes nothing and is retried at the next.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "exchange/conflict_cases.hpp"
#include "workflow/case_store.hpp"

namespace nemis::exchange {

class ConflictPoller {
 public:
  /// The national node's answer (cli/national_client.hpp over HTTP).
  using Fetch = std::function<Result<ReportedConflicts>()>;

  ConflictPoller(db::Database& db, const crypto::FieldCipher& cipher, workflow::CaseStore& cases,
                 Fetch fetch, std::chrono::milliseconds interval);
  ~ConflictPoller();
  ConflictPoller(const ConflictPoller&) = delete;
  ConflictPoller& operator=(const ConflictPoller&) = delete;

  void Start();
  void Stop();
  /// One round: fetch, then bring the cases in step.
  Result<ConflictSyncReport> RunOnce();

 private:
  void Run();

  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  workflow::CaseStore& cases_;
  Fetch fetch_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nemis::exchange
