// Size limits, uploads, timeouts and overload against a real socket.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "http/server.hpp"
#include "http/test_client.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::http {
namespace {

using namespace std::chrono_literals;

using test::Fetch;
using test::RequestText;
using test::TestConnection;
namespace fs = std::filesystem;

// Blocks handlers until opened; waits are bounded so that a failing test cannot hang.
class Gate {
 public:
  void Wait() {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, 10s, [&] { return open_; });
  }
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

bool WaitFor(const std::function<bool()>& condition) {
  for (int i = 0; i < 500 && !condition(); ++i) std::this_thread::sleep_for(10ms);
  return condition();
}

std::string Chunk(size_t n, char fill) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", n);
  return size + std::string(n, fill) + "\r\n";
}

class LimitsTest : public ::testing::Test {
 protected:
  LimitsTest() : spool_(dir_.File("spool")), options_(test::TestOptions(spool_)) {
    router_.Add("GET", "/healthz", [](Request&) { return Response{.body = "ok"}; },
                {.inline_on_io = true});
    router_.Add("POST", "/api/v1/echo", [this](Request& req) {
      echo_calls_++;
      return Response{.body = std::to_string(req.body.size())};
    });
    router_.Add("POST", "/api/v1/uploads", [this](Request& req) { return CheckUpload(req); },
                {.upload = true});
    router_.Add("GET", "/api/v1/block", [this](Request&) {
      entered_++;
      gate_.Wait();
      return Response{.body = "released"};
    });
  }

  Response CheckUpload(Request& req) {
    std::lock_guard lock(mutex_);
    upload_path_ = req.body_file;
    uint64_t size = fs::file_size(req.body_file);
    std::ifstream in(req.body_file, std::ios::binary);
    char first = 0, last = 0;
    in.get(first);
    in.seekg(-1, std::ios::end);
    in.get(last);
    upload_perms_ = fs::status(req.body_file).permissions();
    return Response{.body = std::to_string(size) + ":" + first + last};
  }

  void Start() { server_ = std::make_unique<test::TestServer>(options_, router_); }
  int port() const { return server_->port(); }
  bool SpoolEmpty() const { return fs::is_empty(spool_); }

  nemis::testing::TempDir dir_;
  std::string spool_;
  ServerOptions options_;
  Router router_;
  std::unique_ptr<test::TestServer> server_;
  std::atomic<int> echo_calls_{0};
  std::atomic<int> entered_{0};
  Gate gate_;
  std::mutex mutex_;
  std::string upload_path_;
  fs::perms upload_perms_{};
};

TEST_F(LimitsTest, BigContentLengthIs413BeforeTheBodyIsRead) {
  options_.max_body_bytes = 1024 * 1024;
  Start();
  TestConnection c(port());
  // Only the head is sent: the answer must not wait for 100 MB that never come.
  ASSERT_TRUE(c.Send("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n"));
  auto res = c.Read(5s);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_NE(res->body.find(R"("code":"payload_too_large")"), std::string::npos);
  EXPECT_EQ(res->Header("Connection"), "close");
  EXPECT_EQ(echo_calls_.load(), 0);
  auto ok = Fetch(port(), "POST", "/api/v1/echo", std::string(1024 * 1024, 'x'));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->body, "1048576");
}

TEST_F(LimitsTest, ChunkedBodyIsCountedAsItArrives) {
  options_.max_body_bytes = 1000;
  Start();
  TestConnection small(port());
  ASSERT_TRUE(
      small.Send("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                 Chunk(400, 'a') + Chunk(400, 'b') + "0\r\n\r\n"));
  EXPECT_EQ(small.Read()->body, "800");

  TestConnection big(port());
  big.Send("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
           Chunk(800, 'a') + Chunk(800, 'b') + "0\r\n\r\n");
  auto res = big.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_TRUE(big.WaitClosed(3s));
  EXPECT_EQ(echo_calls_.load(), 1);
}

TEST_F(LimitsTest, UploadRouteSpoolsTwentyMegabytesToAPrivateFileThenDeletesIt) {
  options_.max_body_bytes = 1024;  // uploads use max_upload_bytes instead
  Start();
  const size_t size = 20 * 1024 * 1024;
  std::string body(size, 'm');
  body.front() = 'A';
  body.back() = 'Z';
  TestConnection c(port());
  ASSERT_TRUE(c.Send("POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                     std::to_string(size) + "\r\n\r\n"));
  ASSERT_TRUE(c.Send(body));
  auto res = c.Read(30s);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, std::to_string(size) + ":AZ");
  std::lock_guard lock(mutex_);
  EXPECT_EQ(fs::path(upload_path_).parent_path(), fs::path(spool_));
  EXPECT_EQ(upload_perms_ & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_FALSE(fs::exists(upload_path_));
  EXPECT_TRUE(SpoolEmpty());
}

TEST_F(LimitsTest, UploadOverItsLimitIs413AndLeavesNoFile) {
  options_.max_upload_bytes = 1024 * 1024;
  Start();
  auto declared = Fetch(port(), "POST", "/api/v1/uploads", "",
                        {{"Content-Length", std::to_string(2 * 1024 * 1024)}});
  ASSERT_TRUE(declared);
  EXPECT_EQ(declared->status, 413);

  TestConnection chunked(port());
  chunked.Send("POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  for (int i = 0; i < 3; ++i) chunked.Send(Chunk(512 * 1024, 'u'));
  auto res = chunked.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_TRUE(WaitFor([&] { return SpoolEmpty(); }));
  EXPECT_TRUE(upload_path_.empty());  // the handler never ran
}

TEST_F(LimitsTest, ExpectContinueIsAnsweredBeforeTheBody) {
  options_.max_upload_bytes = 1024 * 1024;
  Start();
  TestConnection c(port());
  ASSERT_TRUE(
      c.Send("POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: "
             "5\r\n\r\n"));
  auto interim = c.Read(5s);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.Send("A123Z"));
  auto res = c.Read(5s);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "5:AZ");

  // Too large: the final answer comes at once and the client never sends the body.
  TestConnection big(port());
  ASSERT_TRUE(big.Send(
      "POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: " +
      std::to_string(2 * 1024 * 1024) + "\r\n\r\n"));
  auto rejected = big.Read(5s);
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, 413);
}

TEST_F(LimitsTest, EmptyUploadGivesAnEmptyFile) {
  Start();
  auto res = Fetch(port(), "POST", "/api/v1/uploads", "", {{"Content-Length", "0"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body.substr(0, 2), "0:");
  EXPECT_TRUE(SpoolEmpty());
}

TEST_F(LimitsTest, HeaderBlockTooBigIs431AndCloses) {
  options_.max_header_bytes = 1024;
  Start();
  TestConnection c(port());
  ASSERT_TRUE(c.Send(RequestText("GET", "/healthz", "", {{"X-Big", std::string(4000, 'a')}})));
  auto res = c.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 431);
  EXPECT_NE(res->body.find(R"("code":"header_too_large")"), std::string::npos);
  EXPECT_TRUE(c.WaitClosed(3s));
  EXPECT_EQ(Fetch(port(), "GET", "/healthz", "", {{"X-Small", std::string(500, 'a')}})->status,
            200);
}

TEST_F(LimitsTest, SlowClientGets408AndIsClosed) {
  options_.request_timeout = 300ms;
  Start();
  TestConnection c(port());
  std::atomic<bool> answered{false};
  std::thread trickle([&] {
    // A header line every 100 ms, until the server answers: each byte arrives well
    // within the timeout, the request never does. Only a deadline on the whole request
    // (not on each read) can end this.
    if (!c.Send("GET /healthz HTTP/1.1\r\n")) return;
    while (!answered.load()) {
      std::this_thread::sleep_for(100ms);  // the client's pace, not an ordering
      if (!c.Send("X-Slow: 1\r\n")) return;
    }
  });
  auto res = c.Read(30s);
  answered = true;
  trickle.join();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 408);
  EXPECT_NE(res->body.find(R"("code":"request_timeout")"), std::string::npos);
  EXPECT_TRUE(c.WaitClosed(3s));
}

TEST_F(LimitsTest, SlowBodyGets408) {
  options_.request_timeout = 300ms;
  Start();
  TestConnection c(port());
  ASSERT_TRUE(c.Send("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"));
  auto res = c.Read(5s);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 408);
  EXPECT_EQ(echo_calls_.load(), 0);
}

// Each timeout is set alone, the other to an hour: the close can only come from it.
TEST_F(LimitsTest, SilentConnectionIsClosedByTheRequestTimeout) {
  options_.request_timeout = 300ms;
  options_.idle_timeout = std::chrono::hours(1);
  Start();
  TestConnection silent(port());
  EXPECT_TRUE(silent.WaitClosed(30s));
}

TEST_F(LimitsTest, IdleConnectionIsKeptThenClosedByTheIdleTimeout) {
  options_.request_timeout = std::chrono::hours(1);
  options_.idle_timeout = std::chrono::hours(1);
  Start();
  TestConnection kept(port());
  for (int i = 0; i < 2; ++i) {  // a connection that answered once is not closed for it
    ASSERT_TRUE(kept.Send(RequestText("GET", "/healthz")));
    auto res = kept.Read();
    ASSERT_TRUE(res) << i;
    EXPECT_NE(res->Header("Connection"), "close") << i;
  }
  server_.reset();
  options_.idle_timeout = 200ms;
  Start();
  TestConnection idle(port());
  ASSERT_TRUE(idle.Send(RequestText("GET", "/healthz")));
  auto res = idle.Read();
  ASSERT_TRUE(res);
  EXPECT_NE(res->Header("Connection"), "close");
  EXPECT_TRUE(idle.WaitClosed(30s));
}

TEST_F(LimitsTest, FullQueueIs503WithRetryAfter) {
  options_.workers = 1;
  options_.queue_limit = 2;
  Start();
  TestConnection busy(port());
  ASSERT_TRUE(busy.Send(RequestText("GET", "/api/v1/block")));
  ASSERT_TRUE(WaitFor([&] { return entered_.load() == 1; }));
  // Three more while the only worker is held: two fit in the queue, whichever comes
  // third is refused at once. Its answer, the first to arrive, also shows that the
  // other two are queued.
  TestConnection a(port()), b(port()), c(port());
  TestConnection* more[3] = {&a, &b, &c};
  for (TestConnection* m : more) ASSERT_TRUE(m->Send(RequestText("GET", "/api/v1/block")));
  std::mutex mutex;
  std::condition_variable answered;
  std::optional<test::ClientResponse> answers[3];
  int first = -1;
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&, i] {
      auto r = more[i]->Read(30s);
      std::lock_guard lock(mutex);
      answers[i] = std::move(r);
      if (first < 0) first = i;
      answered.notify_all();
    });
  }
  bool refused = false;
  {
    std::unique_lock lock(mutex);
    if (answered.wait_for(lock, 30s, [&] { return first >= 0; }) && answers[first]) {
      refused = answers[first]->status == 503;
      EXPECT_EQ(answers[first]->Header("Retry-After"), "1");
      EXPECT_NE(answers[first]->body.find(R"("code":"overloaded")"), std::string::npos);
    }
  }
  EXPECT_TRUE(refused);
  // Inline routes do not queue.
  auto health = Fetch(port(), "GET", "/healthz");
  EXPECT_TRUE(health && health->status == 200);
  gate_.Open();
  for (auto& t : readers) t.join();
  int released = 0;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(answers[i]) << i;
    if (i != first) {
      EXPECT_EQ(answers[i]->body, "released") << i;
    }
    released += answers[i]->body == "released";
  }
  EXPECT_EQ(released, 2);
  auto r = busy.Read(30s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "released");
  EXPECT_EQ(entered_.load(), 3);
}

}  // namespace
}  // namespace nemis::http
