#include "testing/killed_write.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "testing/wrapped_database.hpp"

namespace nemis::testing {
namespace {

// Counts the statements sent through it and kills the process before the `kill_at`-th.
class KillingConnection : public db::Connection {
 public:
  KillingConnection(db::Connection& inner, int& sent, int kill_at)
      : inner_(inner), sent_(sent), kill_at_(kill_at) {}
  using db::Connection::Query;
  db::Backend backend() const override { return inner_.backend(); }
  Result<db::ResultSet> Query(std::string_view sql, std::span<const db::Param> params) override {
    Next();
    return inner_.Query(sql, params);
  }
  Status ExecScript(std::string_view sql) override {
    Next();
    return inner_.ExecScript(sql);
  }
  Result<std::unique_ptr<db::BulkInserter>> BeginBulkInsert(
      std::string_view table, std::span<const std::string> columns) override {
    Next();
    return inner_.BeginBulkInsert(table, columns);
  }

 private:
  void Next() {
    if (++sent_ == kill_at_) raise(SIGKILL);
  }
  db::Connection& inner_;
  int& sent_;
  int kill_at_;
};

[[noreturn]] void RunChild(const std::string& url, const db::Options& options, int kill_at,
                           const std::function<void(db::Database&)>& work) {
  auto store = db::Database::Open(url, options);
  if (!store.ok()) _exit(2);
  int sent = 0;
  WrappedDatabase killing(**store, [&](db::Connection& c, const WrappedDatabase::Work& w) {
    KillingConnection killing_connection(c, sent, kill_at);
    return w(killing_connection);
  });
  work(killing);
  _exit(0);  // no destructors, no atexit: the parent's resources are not the child's
}

}  // namespace

KilledRun RunKilledAt(const std::string& url, const db::Options& options, int kill_at,
                      const std::function<void(db::Database&)>& work) {
  const pid_t pid = fork();
  if (pid == 0) RunChild(url, options, kill_at, work);
  EXPECT_GT(pid, 0) << "fork failed";
  if (pid < 0) return KilledRun::kFinished;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) return KilledRun::kKilled;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the child ended otherwise: status " << status;
  return KilledRun::kFinished;
}

}  // namespace nemis::testing
