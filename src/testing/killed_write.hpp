// A process that dies in the middle of a write: for tests that a write is all or nothing
// whatever statement the process is killed at. RunKilledAt runs the test's work in a child
// process on a store of its own (opened on the test's store URL), whose connections raise
// SIGKILL just before the `kill_at`-th statement the work sends; the parent then finds the
// store as the crash left it. Called with kill_at = 1, 2, ... until the work finishes
// unkilled, it kills the write before each of its statements in turn.
#pragma once

#include <functional>
#include <string>

#include "db/database.hpp"

namespace nemis::testing {

enum class KilledRun { kKilled, kFinished };

/// Forks; the child opens `url` with `options`, runs `work` on a store that kills it before
/// statement `kill_at` (1-based, counting every statement of every transaction `work`
/// runs) and exits 0 if `work` returns. The parent waits: kKilled when the child died of
/// SIGKILL, kFinished when it exited 0; any other end fails the calling test (EXPECT).
KilledRun RunKilledAt(const std::string& url, const db::Options& options, int kill_at,
                      const std::function<void(db::Database&)>& work);

}  // namespace nemis::testing
