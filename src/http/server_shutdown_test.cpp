// Graceful shutdown: started requests finish and are answered, idle connections
// close, nothing new is accepted, and Run returns within the grace period.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "http/server.hpp"
#include "http/test_client.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::http {
namespace {

using namespace std::chrono_literals;

using test::RequestText;
using test::TestConnection;

struct Counts {
  std::atomic<int> started{0};
  std::atomic<int> completed{0};
};

Router SleepyRouter(Counts& counts, std::chrono::milliseconds sleep) {
  Router router;
  router.Add("GET", "/api/v1/work/{n}", [&counts, sleep](Request& req) {
    counts.started++;
    std::this_thread::sleep_for(sleep);  // stands in for a store write
    counts.completed++;
    return Response{.body = "done-" + req.PathParam("n")};
  });
  return router;
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

TEST(ServerShutdown, GracefulUnderLoad) {
  nemis::testing::TempDir dir;
  Counts counts;
  Router router = SleepyRouter(counts, 50ms);
  auto options = test::TestOptions(dir.File("spool"));
  options.workers = 4;
  options.shutdown_grace = 5000ms;
  test::TestServer server(options, router);
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i)
    clients.emplace_back(Hammer, server.port(), i, std::ref(ok), std::ref(bad));
  std::this_thread::sleep_for(400ms);
  ASSERT_GT(ok.load(), 8);
  auto took = server.StopAndJoin();
  EXPECT_TRUE(server.server().draining());
  for (auto& t : clients) t.join();

  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(counts.started.load(), counts.completed.load());  // no handler was cut off
  EXPECT_EQ(counts.completed.load(), ok.load());              // and every one was answered
  EXPECT_LT(took, 2000ms);
  TestConnection after(server.port());
  EXPECT_FALSE(after.connected());
}

TEST(ServerShutdown, InFlightRequestIsAnsweredWithConnectionClose) {
  nemis::testing::TempDir dir;
  Counts counts;
  Router router = SleepyRouter(counts, 300ms);
  test::TestServer server(test::TestOptions(dir.File("spool")), router);
  TestConnection idle(server.port());
  ASSERT_TRUE(idle.Send(RequestText("GET", "/api/v1/work/warmup")));
  ASSERT_TRUE(idle.Read());
  TestConnection busy(server.port());
  ASSERT_TRUE(busy.Send(RequestText("GET", "/api/v1/work/1")));
  while (counts.started.load() < 2) std::this_thread::sleep_for(5ms);

  server.server().Stop();
  EXPECT_TRUE(server.server().draining());
  EXPECT_TRUE(idle.WaitClosed(1s));  // idle keep-alive connections go at once
  auto res = busy.Read(5s);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "done-1");
  EXPECT_EQ(res->Header("Connection"), "close");
  EXPECT_TRUE(busy.WaitClosed(2s));
  server.StopAndJoin();
  EXPECT_EQ(counts.completed.load(), 2);
}

TEST(ServerShutdown, GraceExpiryLetsRunningHandlersFinishAndQueuedOnesNeverStart) {
  nemis::testing::TempDir dir;
  Counts counts;
  Router router = SleepyRouter(counts, 600ms);
  auto options = test::TestOptions(dir.File("spool"));
  options.workers = 1;
  options.shutdown_grace = 100ms;
  test::TestServer server(options, router);
  TestConnection running(server.port()), waiting(server.port());
  ASSERT_TRUE(running.Send(RequestText("GET", "/api/v1/work/1")));
  while (counts.started.load() < 1) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(waiting.Send(RequestText("GET", "/api/v1/work/2")));
  std::this_thread::sleep_for(50ms);
  auto took = server.StopAndJoin();
  // Run waited for the running handler (a store write must complete) ...
  EXPECT_EQ(counts.completed.load(), 1);
  EXPECT_GE(took, 300ms);
  // ... but not for the queued one, which never started.
  EXPECT_EQ(counts.started.load(), 1);
}

TEST(ServerShutdown, SigtermDrains) {
  nemis::testing::TempDir dir;
  Counts counts;
  Router router = SleepyRouter(counts, 1ms);
  Server server(test::TestOptions(dir.File("spool")), router);
  auto port = server.Listen();
  ASSERT_TRUE(port.ok());
  std::thread runner([&] { server.Run(true); });
  // A served request proves the loop runs, so the signal set is installed.
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    auto res = test::Fetch(*port, "GET", "/api/v1/work/1");
    up = res && res->status == 200;
    if (!up) std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(up);
  ::kill(::getpid(), SIGTERM);
  runner.join();
  EXPECT_TRUE(server.draining());
}

TEST(ServerShutdown, StopBeforeRunReturnsAtOnce) {
  nemis::testing::TempDir dir;
  Router router;
  Server server(test::TestOptions(dir.File("spool")), router);
  ASSERT_TRUE(server.Listen().ok());
  server.Stop();
  auto start = std::chrono::steady_clock::now();
  server.Run(false);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1000ms);
}

}  // namespace
}  // namespace nemis::http
