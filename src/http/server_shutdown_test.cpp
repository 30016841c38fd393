// Graceful shutdown: started requests finish and are answered, idle connections
// close, nothing new is accepted, and Run returns once the last connection is done or
// the grace period runs out. Events are ordered with a gate on the handlers, never by
// sleeping, and nothing asserts how long anything took.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/log.hpp"
#include "base/metrics.hpp"
#include "http/server.hpp"
#include "http/test_client.hpp"
#include "testing/result_matchers.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::http {
namespace {

using namespace std::chrono_literals;

using test::RequestText;
using test::TestConnection;

// What the handlers did. A closed gate holds every handler between its start and its
// end, so a test decides which requests are still running when the server stops.
// Waits are bounded only so that a broken server fails the test instead of hanging it.
class Work {
 public:
  void Handle(std::chrono::milliseconds work) {
    std::unique_lock lock(mutex_);
    ++started_;
    changed_.notify_all();
    changed_.wait_for(lock, kLiveness, [&] { return open_; });
    lock.unlock();
    // Stands in for a store write; no test depends on its length.
    if (work.count() > 0) std::this_thread::sleep_for(work);
    lock.lock();
    ++completed_;
    changed_.notify_all();
  }
  void Close() { Set(false); }
  void Open() { Set(true); }
  bool WaitStarted(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kLiveness, [&] { return started_ >= n; });
  }
  int started() {
    std::lock_guard lock(mutex_);
    return started_;
  }
  int completed() {
    std::lock_guard lock(mutex_);
    return completed_;
  }

 private:
  static constexpr std::chrono::seconds kLiveness{30};
  void Set(bool open) {
    std::lock_guard lock(mutex_);
    open_ = open;
    changed_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = true;
  int started_ = 0;
  int completed_ = 0;
};

Router WorkRouter(Work& work, std::chrono::milliseconds duration = 0ms) {
  Router router;
  router.Add("GET", "/api/v1/work/{n}", [&work, duration](Request& req) {
    work.Handle(duration);
    return Response{.body = "done-" + req.PathParam("n")};
  });
  return router;
}

// Polls a condition that no event signals (a log line, a counter of the client threads).
bool WaitUntil(const std::function<bool()>& condition) {
  for (int i = 0; i < 3000 && !condition(); ++i) std::this_thread::sleep_for(10ms);
  return condition();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Sends requests on keep-alive connections until the server refuses a connection.
void Hammer(int port, int id, std::atomic<int>& ok, std::atomic<int>& bad) {
  int n = 0;
  while (true) {
    TestConnection c(port);
    if (!c.connected()) return;
    while (true) {
      std::string tag = std::to_string(id) + "-" + std::to_string(n++);
      if (!c.Send(RequestText("GET", "/api/v1/work/" + tag))) break;
      auto res = c.Read(10s);
      if (!res) break;  // closed while idle: reconnect (or find the listener gone)
      if (res->status == 200 && res->body == "done-" + tag) {
        ok++;
      } else {
        bad++;
      }
      if (res->Header("Connection") == "close") break;
    }
  }
}

// Longer than any test run: a Run that returns shows it did not wait the grace out.
constexpr std::chrono::milliseconds kNeverExpires = std::chrono::hours(1);

// Routes the process log to a file for one test.
class LogToFile {
 public:
  explicit LogToFile(std::string path) : path_(std::move(path)) {
    log::Init(log::Level::kInfo, path_);
  }
  ~LogToFile() { log::Init(log::Level::kInfo, ""); }
  std::string Text() const { return ReadAll(path_); }

 private:
  std::string path_;
};

TEST(ServerShutdown, GracefulUnderLoad) {
  nemis::testing::TempDir dir;
  Work work;
  Router router = WorkRouter(work, 50ms);
  auto options = test::TestOptions(dir.File("spool"));
  options.workers = 4;
  options.shutdown_grace = kNeverExpires;
  test::TestServer server(options, router);
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i)
    clients.emplace_back(Hammer, server.port(), i, std::ref(ok), std::ref(bad));
  EXPECT_TRUE(WaitUntil([&] { return ok.load() > 8; }));
  server.StopAndJoin();  // returns: the drain ended with the last connection, not the grace
  EXPECT_TRUE(server.server().draining());
  for (auto& t : clients) t.join();

  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(work.started(), work.completed());  // no handler was cut off
  EXPECT_EQ(work.completed(), ok.load());       // and every one was answered
  TestConnection after(server.port());
  EXPECT_FALSE(after.connected());
}

TEST(ServerShutdown, InFlightRequestIsAnsweredWithConnectionClose) {
  nemis::testing::TempDir dir;
  Work work;
  Router router = WorkRouter(work);
  auto options = test::TestOptions(dir.File("spool"));
  options.shutdown_grace = kNeverExpires;
  test::TestServer server(options, router);
  TestConnection idle(server.port());
  ASSERT_TRUE(idle.Send(RequestText("GET", "/api/v1/work/warmup")));
  ASSERT_TRUE(idle.Read());
  work.Close();
  TestConnection busy(server.port());
  ASSERT_TRUE(busy.Send(RequestText("GET", "/api/v1/work/1")));
  ASSERT_TRUE(work.WaitStarted(2));

  server.server().Stop();
  EXPECT_TRUE(server.server().draining());
  // Idle keep-alive connections go while a request is still running.
  EXPECT_TRUE(idle.WaitClosed(30s));
  EXPECT_EQ(work.completed(), 1);
  work.Open();
  auto res = busy.Read(30s);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "done-1");
  EXPECT_EQ(res->Header("Connection"), "close");
  EXPECT_TRUE(busy.WaitClosed(30s));
  server.StopAndJoin();
  EXPECT_EQ(work.completed(), 2);
}

TEST(ServerShutdown, GraceExpiryLetsRunningHandlersFinishAndQueuedOnesNeverStart) {
  nemis::testing::TempDir dir;
  LogToFile log(dir.File("log.jsonl"));
  Work work;
  Router router = WorkRouter(work);
  auto options = test::TestOptions(dir.File("spool"));
  options.workers = 1;
  options.shutdown_grace = 100ms;
  test::TestServer server(options, router);
  Counter& read = MetricsRegistry::Global().GetCounter(
      "nemis_http_requests_started_total",
      "HTTP requests whose header was read (minus finished: in flight)");
  work.Close();
  TestConnection running(server.port()), waiting(server.port());
  ASSERT_TRUE(running.Send(RequestText("GET", "/api/v1/work/1")));
  ASSERT_TRUE(work.WaitStarted(1));
  int64_t before = read.Value();
  ASSERT_TRUE(waiting.Send(RequestText("GET", "/api/v1/work/2")));
  // Once its header is read, the second request goes to the pool's queue, draining or
  // not: it waits there behind the only worker.
  ASSERT_TRUE(WaitUntil([&] { return read.Value() > before; }));

  server.server().Stop();
  // The grace period runs out while the first handler is still held.
  ASSERT_TRUE(WaitUntil([&] {
    return log.Text().find("\"http_drain_timeout\"") != std::string::npos;
  })) << log.Text();
  EXPECT_NE(log.Text().find(R"("connections":2,"discarded":1)"), std::string::npos) << log.Text();
  EXPECT_EQ(work.completed(), 0);
  work.Open();
  server.StopAndJoin();
  // Run waited for the running handler (a store write must complete) ...
  EXPECT_EQ(work.completed(), 1);
  // ... but not for the queued one, which never started.
  EXPECT_EQ(work.started(), 1);
  EXPECT_NE(log.Text().find(R"("event":"http_stopped","forced":true)"), std::string::npos)
      << log.Text();
}

TEST(ServerShutdown, SigtermDrains) {
  nemis::testing::TempDir dir;
  Work work;
  Router router = WorkRouter(work);
  Server server(test::TestOptions(dir.File("spool")), router);
  auto port = server.Listen();
  ASSERT_OK(port);
  std::thread runner([&] { server.Run(true); });
  // A served request proves the loop runs, so the signal set is installed.
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    auto res = test::Fetch(*port, "GET", "/api/v1/work/1");
    up = res && res->status == 200;
    if (!up) std::this_thread::sleep_for(10ms);  // a retry, not an ordering
  }
  ASSERT_TRUE(up);
  ::kill(::getpid(), SIGTERM);
  runner.join();
  EXPECT_TRUE(server.draining());
}

TEST(ServerShutdown, StopBeforeRunReturnsAtOnce) {
  nemis::testing::TempDir dir;
  Router router;
  auto options = test::TestOptions(dir.File("spool"));
  options.shutdown_grace = kNeverExpires;
  Server server(options, router);
  auto port = server.Listen();
  ASSERT_OK(port);
  server.Stop();
  server.Run(false);  // returns: with nothing to drain it does not wait the grace out
  EXPECT_TRUE(server.draining());
  TestConnection after(*port);
  EXPECT_FALSE(after.connected());
}

}  // namespace
}  // namespace nemis::http
