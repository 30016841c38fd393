// D. Graceful shutdown under load: client threads register and read students while
// the server gets SIGTERM. Every registration acknowledged with 201 must be in the
// store afterwards, no response may arrive cut short, and the process must drain
// and exit 0 within its grace period.
#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>

#include "fixture.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

constexpr int kThreads = 4;
constexpr int kGraceMs = 10000;

struct Outcome {
  std::string what;  // "POST" or "GET"
  std::string name, id_number, student_number;
  int status = 0;
  bool truncated = false;
  std::string error;
};

// Names hold no digits: 停机 + the thread and the counter in Chinese numerals.
std::string ChineseNumber(int n) {
  static const char* kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  std::string out;
  for (char c : std::to_string(n)) out += kDigits[c - '0'];
  return out;
}

class ShutdownTest : public ServerTest {};

TEST_P(ShutdownTest, SigtermUnderLoadKeepsEveryAcknowledgedWrite) {
  SeedRoster();
  StartServer({{"server.shutdown_grace_ms", std::to_string(kGraceMs)}, {"server.workers", "4"}});
  const School school = PrimarySchool();
  const char* regions[kThreads] = {"110101", "110102", "110105", "110106"};
  std::atomic<int> created{0};
  std::atomic<bool> stop{false};
  std::vector<std::vector<Outcome>> outcomes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client = AuthorizedClient();
      client.set_retry_stale(false);  // a resent POST would blur what was acknowledged
      client.set_timeout(std::chrono::seconds(30));
      IdSource ids(regions[t], 2015);
      int failures_in_a_row = 0;
      for (int i = 0; !stop.load(); ++i) {
        IdSource::Person p = ids.Next(1 + i % 2);
        Outcome post{
            "POST", "停机" + ChineseNumber(t) + "号" + ChineseNumber(i), p.id_number, "", 0, false,
            ""};
        HttpResponse r =
            client.PostJson("/api/v1/students", StudentBody(school, post.name, p, 1 + i % 6, "3"));
        post.status = r.status;
        post.truncated = r.truncated;
        post.error = r.error;
        if (r.status == 201) {
          // From the ID: the body shows the national registrar the G number masked.
          post.student_number = "G" + p.id_number;
          created.fetch_add(1);
          HttpResponse g = client.Get("/api/v1/students/" + post.student_number);
          outcomes[t].push_back(
              {"GET", post.name, p.id_number, post.student_number, g.status, g.truncated, g.error});
        }
        outcomes[t].push_back(post);
        if (r.status == 0) {
          // Refused or closed: the server is going away. Keep trying briefly, as clients do.
          if (++failures_in_a_row > 200) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        } else {
          failures_in_a_row = 0;
        }
      }
    });
  }
  auto join = [&] {
    stop.store(true);
    for (auto& th : threads)
      if (th.joinable()) th.join();
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (created.load() < 150 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (created.load() < 150) {
    join();
    FAIL() << "the load never got going; first answers: "
           << (outcomes[0].empty() ? "none" : outcomes[0][0].error) << " status "
           << (outcomes[0].empty() ? 0 : outcomes[0][0].status);
  }
  int at_sigterm = created.load();
  server().Terminate();
  auto exit =
      server().process().Wait(std::chrono::milliseconds(kGraceMs) + std::chrono::seconds(20));
  join();
  ASSERT_TRUE(exit.has_value()) << "nemis serve did not exit after SIGTERM";
  EXPECT_TRUE(exit->Ok()) << exit->Describe() << "\n" << server().Stderr();
  std::string log = server().Stderr();
  EXPECT_NE(log.find("\"event\":\"http_stopped\",\"forced\":false"), std::string::npos)
      << "the server did not drain within its grace period:\n"
      << log.substr(log.size() > 3000 ? log.size() - 3000 : 0);

  std::vector<Outcome> acknowledged;
  int refused = 0;
  for (const auto& list : outcomes) {
    for (const auto& o : list) {
      EXPECT_FALSE(o.truncated) << o.what << " " << o.name
                                << " got a truncated response: " << o.error;
      if (o.what == "POST" && o.status == 201) {
        acknowledged.push_back(o);
      } else if (o.what == "GET" && o.status == 200) {
        continue;
      } else if (o.status == 0) {
        ++refused;
      } else {
        ADD_FAILURE() << "unexpected answer " << o.status << " to " << o.what << " " << o.name;
      }
    }
  }
  EXPECT_EQ(static_cast<int>(acknowledged.size()), created.load());
  std::cout << "acknowledged " << acknowledged.size() << ", at SIGTERM " << at_sigterm
            << ", unanswered " << refused << "\n";

  StartServer();
  HttpClient registrar = SchoolRegistrarClient(school.code);  // who sees the IDs whole
  for (const auto& o : acknowledged) {
    HttpResponse r = registrar.Get("/api/v1/students/" + o.student_number);
    ASSERT_EQ(r.status, 200) << o.name
                             << " was acknowledged but is not in the store: " << r.Describe();
    EXPECT_EQ(r.Json()["name"], o.name);
    EXPECT_EQ(r.Json()["idNumber"], o.id_number);
  }
  // Nothing was written that the client was not told about: an in-flight request is answered.
  EXPECT_EQ(store().CountStudents(), 2000 + static_cast<int64_t>(acknowledged.size()))
      << refused << " requests got no answer";
}

NEMIS_IT_BOTH_BACKENDS(ShutdownTest);

}  // namespace
}  // namespace nemis::it
