// The online exchange through faults, at a small scale (Jepsen's set test: every change
// made at the source must be at the receiver once, none lost, none doubled): a province
// keeps registering and changing students while the national node pulls through a source
// that cuts connections, cuts answers short, replays old batches, answers out of order and
// changes bytes. Each failed round leaves the checkpoint where it was; after healing, the
// province's institutions and students digest the same on both nodes, on both stores.
#include "exchange/source_puller.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "db/change_log.hpp"
#include "exchange/batch_envelope.hpp"
#include "exchange/change_reader.hpp"
#include "exchange/exchange_testing.hpp"
#include "exchange/replica_digest.hpp"

namespace nemis::exchange {
namespace {

using nemis::testing::IsErrorCode;

// The province's node answering in process, with the faults a network and a peer make.
class FaultySource : public ChangeSource {
 public:
  FaultySource(db::Database& db, const crypto::FieldCipher& cipher, const NodeIdentity& self,
               const NodeIdentity& receiver, int fault_percent, uint32_t seed)
      : db_(db),
        cipher_(cipher),
        self_(self),
        receiver_(receiver),
        fault_percent_(fault_percent),
        rng_(seed) {}

  Result<RemoteBatch> Fetch(int64_t after, int64_t limit) override {
    const bool faulty = static_cast<int>(rng_() % 100) < fault_percent_;
    const int kind = static_cast<int>(rng_() % 5);
    if (faulty && kind == 0) return Error::Unavailable("connection cut");  // before any answer
    if (faulty && kind == 1 && !sent_.empty()) {  // an old answer delivered again
      return RemoteBatch{sent_[rng_() % sent_.size()], Pem(), after};
    }
    // Out of order: a batch that starts later than asked.
    const int64_t from = faulty && kind == 2 ? after + 1 + static_cast<int64_t>(rng_() % 3) : after;
    NEMIS_ASSIGN_OR_RETURN(ChangeBatch batch, ReadChanges(db_, cipher_, from, limit));
    std::string envelope = SealBatch(HeaderFor(batch, self_.code, receiver_.code), batch.payload,
                                     self_.key, receiver_.certificate.PublicKey());
    if (faulty && kind == 3) envelope.resize(envelope.size() / 2);   // cut mid-answer
    if (faulty && kind == 4) envelope[envelope.size() / 2] ^= 0x01;  // a byte changed
    if (!faulty) sent_.push_back(envelope);
    return RemoteBatch{std::move(envelope), Pem(), batch.head};
  }

 private:
  std::string Pem() const { return self_.certificate.ToPem(); }

  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  const NodeIdentity& self_;
  const NodeIdentity& receiver_;
  const int fault_percent_;
  std::mt19937 rng_;
  std::vector<std::string> sent_;
};

class SourcePullerTest : public testing::TwoNodeTest {
 protected:
  std::unique_ptr<FaultySource> Source(int fault_percent = 0, uint32_t seed = 1) {
    return std::make_unique<FaultySource>(db(), province_cipher_, *province_id_, *national_id_,
                                          fault_percent, seed);
  }
  std::unique_ptr<SourcePuller> PullerOf(std::unique_ptr<ChangeSource> source,
                                         int64_t batch_changes) {
    PullerOptions options;
    options.batch_changes = batch_changes;
    return std::make_unique<SourcePuller>(*national_, national_cipher_, *national_id_, "440000",
                                          std::move(source), options);
  }
  std::unique_ptr<SourcePuller> Puller(int fault_percent, uint32_t seed, int64_t batch_changes) {
    return PullerOf(Source(fault_percent, seed), batch_changes);
  }
  // Pulls until a round brings nothing new (or fails); the rounds that brought something.
  static int PullAll(SourcePuller& puller) {
    int rounds = 0;
    for (Result<bool> pulled = puller.PullOnce(); pulled.ok() && *pulled;
         pulled = puller.PullOnce())
      ++rounds;
    return rounds;
  }

  // Some students changed: moved to the other school's class and a status; logged.
  void ChangeSome(const std::vector<registry::Student>& students, std::mt19937& rng) {
    ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
      std::vector<int64_t> ids;
      for (int i = 0; i < 3 && !students.empty(); ++i) {
        const registry::Student& s = students[rng() % students.size()];
        NEMIS_TRY(c.Query("UPDATE student SET class_no = $2 WHERE id = $1",
                          {s.id, std::to_string(10 + rng() % 5)}));
        ids.push_back(s.id);
      }
      return db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, "2026-12-06T01:00:00Z");
    }));
  }
};

TEST_P(SourcePullerTest, EveryChangeArrivesOnceThroughFaults) {
  auto puller = Puller(/*fault_percent=*/40, /*seed=*/7, /*batch_changes=*/4);
  std::mt19937 rng(11);
  std::vector<registry::Student> registered;
  int failures = 0;
  for (int round = 0, seq = 1; round < 40; ++round) {
    for (int n = static_cast<int>(rng() % 3); n > 0; --n) {
      registered.push_back(
          RegisterInProvince(seq, seq % 2 ? testing::kSchool1 : testing::kSchool2));
      ++seq;
    }
    if (round % 4 == 3) ChangeSome(registered, rng);
    SealChangeLog();
    const int64_t before = Checkpoint();
    Result<bool> pulled = puller->PullOnce();
    if (!pulled.ok()) {
      ++failures;
      EXPECT_EQ(Checkpoint(), before)
          << "a failed round moved the checkpoint: " << pulled.error().message;
    } else {
      EXPECT_GE(Checkpoint(), before);
    }
  }
  EXPECT_GT(failures, 3);  // the faults did happen
  // Healed: no more faults.
  auto healed = Puller(0, 1, 1000);
  for (int i = 0; i < 100; ++i) {
    auto more = healed->PullOnce();
    ASSERT_OK(more);
    if (!*more) break;
  }
  auto digest = ExpectNodesAgree();
  ASSERT_TRUE(digest.has_value());
  EXPECT_EQ(digest->students, static_cast<int64_t>(registered.size()));
  EXPECT_EQ(healed->Status().checkpoint, healed->Status().head);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM exchange_conflict"), 0);
}

// A link that cuts every answer of more than 150 changes (a slow, flaky line): the puller asks
// for less after each failure, and carries everything; healed, it asks for whole batches again.
class CutsLongAnswers : public ChangeSource {
 public:
  CutsLongAnswers(std::unique_ptr<ChangeSource> inner, bool& cutting)
      : inner_(std::move(inner)), cutting_(cutting) {}
  Result<RemoteBatch> Fetch(int64_t after, int64_t limit) override {
    if (cutting_ && limit > 150) return Error::Unavailable("connection cut");
    return inner_->Fetch(after, limit);
  }

 private:
  std::unique_ptr<ChangeSource> inner_;
  bool& cutting_;
};

TEST_P(SourcePullerTest, ALinkThatCutsLongAnswersStillCarriesEverything) {
  for (int seq = 1; seq <= 120; ++seq) RegisterInProvince(seq);
  SealChangeLog();
  bool cutting = true;
  auto puller = PullerOf(std::make_unique<CutsLongAnswers>(Source(), cutting),
                         /*batch_changes=*/1000);
  int failures = 0, carried = 0;
  for (int round = 0; round < 200; ++round) {
    Result<bool> pulled = puller->PullOnce();
    if (!pulled.ok()) {
      ++failures;
      continue;
    }
    if (!*pulled) break;
    ++carried;
  }
  EXPECT_GE(failures, 3);  // 1000, 500 and 250 cut; 125 carried
  EXPECT_GE(carried, 1);
  auto digest = ExpectNodesAgree();
  ASSERT_TRUE(digest.has_value());
  EXPECT_EQ(digest->students, 120);

  cutting = false;  // healed: back up to whole batches, a doubling per round
  for (int round = 0; round < 6; ++round) ASSERT_OK(puller->PullOnce());
  EXPECT_EQ(puller->batch_limit(), 1000);
}

// Counts the fetches reaching the source and how many are under way at once.
class RecordingSource : public ChangeSource {
 public:
  explicit RecordingSource(std::unique_ptr<ChangeSource> inner) : inner_(std::move(inner)) {}
  Result<RemoteBatch> Fetch(int64_t after, int64_t limit) override {
    const int now = ++in_flight_;
    int seen = most_at_once_.load();
    while (now > seen && !most_at_once_.compare_exchange_weak(seen, now)) {
    }
    {
      std::lock_guard lock(mu_);
      afters_.push_back(after);
    }
    auto batch = inner_->Fetch(after, limit);
    --in_flight_;
    return batch;
  }
  std::vector<int64_t> afters() {
    std::lock_guard lock(mu_);
    return afters_;
  }
  int most_at_once() const { return most_at_once_.load(); }

 private:
  std::unique_ptr<ChangeSource> inner_;
  std::atomic<int> in_flight_{0}, most_at_once_{0};
  std::mutex mu_;
  std::vector<int64_t> afters_;
};

// Batches are fetched ahead while others are opened and written, but the source sees one
// fetch at a time, each range once, in order.
TEST_P(SourcePullerTest, BatchesFetchedAheadReachTheSourceOneAtATimeEachOnce) {
  for (int seq = 1; seq <= 60; ++seq) RegisterInProvince(seq);
  SealChangeLog();
  auto recording = std::make_unique<RecordingSource>(Source());
  RecordingSource* source = recording.get();
  auto puller = PullerOf(std::move(recording), /*batch_changes=*/7);
  EXPECT_GE(PullAll(*puller), 9);  // 60 students and their schools, 7 log rows a batch
  const std::vector<int64_t> afters = source->afters();
  EXPECT_TRUE(std::is_sorted(afters.begin(), afters.end()));
  EXPECT_EQ(std::adjacent_find(afters.begin(), afters.end()), afters.end()) << "a range twice";
  EXPECT_EQ(source->most_at_once(), 1);
  auto digest = ExpectNodesAgree();
  ASSERT_TRUE(digest.has_value());
  EXPECT_EQ(digest->students, 60);
}

// Holds every fetch after the first until the test lets it through.
class GatedSource : public ChangeSource {
 public:
  explicit GatedSource(std::unique_ptr<ChangeSource> inner) : inner_(std::move(inner)) {}
  Result<RemoteBatch> Fetch(int64_t after, int64_t limit) override {
    if (fetches_++ > 0) gate_.wait();
    return inner_->Fetch(after, limit);
  }
  void Open() { opener_.set_value(); }

 private:
  std::unique_ptr<ChangeSource> inner_;
  std::atomic<int> fetches_{0};
  std::promise<void> opener_;
  std::shared_future<void> gate_ = opener_.get_future().share();
};

// The backlog counts what the source's latest answer told, a batch fetched ahead included,
// not only what was known when the last batch applied.
TEST_P(SourcePullerTest, TheBacklogFollowsTheSourcesLatestAnswer) {
  for (int seq = 1; seq <= 20; ++seq) RegisterInProvince(seq);
  SealChangeLog();
  auto gated = std::make_unique<GatedSource>(Source());
  GatedSource* source = gated.get();
  auto puller = PullerOf(std::move(gated), /*batch_changes=*/7);
  Result<bool> first = puller->PullOnce();  // the next batch's fetch now waits at the gate
  const SourceStatus before = puller->Status();
  for (int seq = 21; seq <= 30; ++seq) RegisterInProvince(seq);  // the province goes on
  SealChangeLog();
  const int64_t province_head = Count(db(), "SELECT MAX(seq) FROM change_log");
  source->Open();
  SourceStatus status = puller->Status();
  for (int i = 0; i < 200 && status.head != province_head; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    status = puller->Status();
  }
  ASSERT_OK(first);
  EXPECT_TRUE(*first);
  EXPECT_LT(before.head, province_head);
  EXPECT_EQ(status.head, province_head);  // before the batch fetched ahead is applied
  EXPECT_EQ(status.checkpoint, before.checkpoint);
  EXPECT_EQ(status.Backlog(), province_head - before.checkpoint);
  PullAll(*puller);
  status = puller->Status();
  EXPECT_EQ(status.checkpoint, province_head);
  EXPECT_EQ(status.Backlog(), 0);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 30);
}

TEST_P(SourcePullerTest, ARevokedSourceIsRefusedAndNothingApplies) {
  RegisterInProvince(1);
  SealChangeLog();
  ASSERT_OK(RevokeNode(*national_, "440000", testing::UnixNow()));
  auto puller = Puller(0, 1, 1000);
  EXPECT_THAT(puller->PullOnce(), IsErrorCode("node_revoked"));
  EXPECT_EQ(Checkpoint(), 0);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 0);
}

TEST_P(SourcePullerTest, TheBackgroundPullerCatchesUpAndReportsItsStatus) {
  for (int i = 1; i <= 6; ++i) RegisterInProvince(i);
  SealChangeLog();
  auto puller = Puller(0, 1, 3);
  puller->Start();
  SourceStatus status;
  for (int i = 0; i < 200; ++i) {
    status = puller->Status();
    if (status.head > 0 && status.checkpoint == status.head) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  puller->Stop();
  EXPECT_EQ(status.checkpoint, status.head);
  EXPECT_GE(status.batches, 2);
  EXPECT_EQ(status.lag_seconds, 0);
  EXPECT_TRUE(status.last_error.empty());
  EXPECT_FALSE(status.last_contact_at.empty());
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 6);
}

NEMIS_STORE_TEST_SUITE(SourcePullerTest);

}  // namespace
}  // namespace nemis::exchange
