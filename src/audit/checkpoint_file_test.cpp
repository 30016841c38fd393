// The copy of the checkpoints outside the database: what a line holds, and what Verify
// catches with it that the database alone cannot (someone who can write to the database
// deletes its checkpoint rows as well): a truncated log, a rewound head, a chain
// recomputed or rewritten after the last checkpoint left in the database; and lines of
// the file that are forged or unreadable, a missing file, on both back ends.
#include "audit/checkpoint_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "audit/audit_testing.hpp"
#include "audit/checkpoint.hpp"
#include "audit/purge.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::audit {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void AppendText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
}

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream in(ReadText(path));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class CheckpointFileTest : public AuditStoreTest {
 protected:
  CheckpointInfo Sign() {
    auto ck = Checkpoint(db(), key_, clock_, &file_);
    EXPECT_TRUE(ck.ok()) << ck.error().message;
    return ck.ok() ? *ck : CheckpointInfo{};
  }
  VerifyReport CheckFile() {
    Seal();
    auto report = Verify(db(), key_.PublicKey(), {7, &file_});
    EXPECT_TRUE(report.ok()) << report.error().message;
    return report.ok() ? *report : VerifyReport{0, 0, 0, 0, -1, "verify failed"};
  }
  void ExpectFinding(int64_t seq, const std::string& what) {
    VerifyReport report = CheckFile();
    EXPECT_FALSE(report.ok());
    EXPECT_EQ(report.bad_seq, seq) << report.problem;
    EXPECT_NE(report.problem.find(what), std::string::npos) << report.problem;
  }
  // Entries first..last with content other than Entry(i): a rewritten history.
  void AppendOther(int first, int last) {
    Status s = db().WithWriter([&](db::Connection& c) -> Status {
      for (int i = first; i <= last; ++i) {
        AuditEntry e = Entry(i);
        e.account = "rewritten";
        NEMIS_TRY(Append(c, e));
      }
      return {};
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
    Seal();
  }
  // What someone who can write to the database does to hide the last entries: delete
  // them, rewind the head, and delete the checkpoint rows that would tell.
  void Truncate(int64_t keep) {
    std::string hash = keep == 0 ? crypto::ToHex(GenesisHash()) : HashOf(keep);
    Sql("DELETE FROM audit_log WHERE seq > $1", {keep});
    Sql("UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1", {keep, hash});
    Sql("DELETE FROM audit_checkpoint WHERE seq > $1", {keep});
  }

  testing::TempDir dir_;
  CheckpointFile file_{dir_.File("keys/audit_checkpoints.jsonl")};
};

TEST_P(CheckpointFileTest, EachCheckpointIsOneLineOfTheFile) {
  AppendRange(1, 20);
  CheckpointInfo ck = Sign();
  AppendRange(21, 25);
  Sign();
  std::vector<std::string> lines = Lines(file_.path());
  ASSERT_EQ(lines.size(), 2u);
  auto json = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(json["seq"], 20);
  EXPECT_EQ(json["entryHash"], HashOf(20));
  EXPECT_EQ(json["signedAt"], ck.signed_at);
  EXPECT_EQ(json["signature"], ck.signature);
  EXPECT_EQ(json["keyId"], KeyId(key_));
  EXPECT_EQ(json["keyId"].get<std::string>().size(), 16u);
  EXPECT_EQ(nlohmann::json::parse(lines[1])["seq"], 25);
  struct stat st {};
  ASSERT_EQ(::stat(file_.path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  VerifyReport report = CheckFile();
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.file_checkpoints, 2);
  EXPECT_EQ(report.checkpoints, 2);
  EXPECT_EQ(DefaultCheckpointFile("var/keys/audit_sm2.pem"), "var/keys/audit_checkpoints.jsonl");
}

TEST_P(CheckpointFileTest, ATruncatedLogIsNoticedThroughTheFile) {
  AppendRange(1, 20);
  Sign();
  Truncate(12);
  EXPECT_TRUE(Check().ok()) << "the database alone no longer knows of 13..20";
  ExpectFinding(13, "第 12 条之后缺少记录（记录被删除）：检查点副本文件记录至第 20 条");
  Truncate(0);
  ExpectFinding(1, "缺少第 1 条审计记录（记录被删除）：检查点副本文件记录至第 20 条");
}

TEST_P(CheckpointFileTest, ARewoundAndRewrittenLogIsNoticedThroughTheFile) {
  AppendRange(1, 10);
  Sign();
  AppendRange(11, 20);
  Sign();
  Truncate(15);
  AppendOther(16, 24);  // appended after the rewind, as if 16..20 had never been
  EXPECT_TRUE(Check().ok()) << "a consistent chain, as far as the database tells";
  ExpectFinding(
      20, "第 20 条审计记录与检查点副本文件第 2 行不符（记录链被改写：改动在第 11–20 条之间）");
}

TEST_P(CheckpointFileTest, AChainRecomputedAfterTheFilesCheckpointIsNoticed) {
  AppendRange(1, 10);
  Sign();
  AppendRange(11, 20);
  Sign();
  AppendRange(21, 30);
  Sql("DELETE FROM audit_checkpoint");
  Sql("UPDATE audit_log SET account = 'someone_else' WHERE seq = 14");
  RecomputeChainFrom(14);
  EXPECT_TRUE(Check().ok()) << "recomputed, and no checkpoint row left to disagree";
  ExpectFinding(20, "改动在第 11–20 条之间");
}

TEST_P(CheckpointFileTest, SigningRefusesALogThatNoLongerReachesTheFile) {
  AppendRange(1, 20);
  Sign();
  Truncate(15);
  auto refused = Checkpoint(db(), key_, clock_, &file_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "audit_chain_broken");
  EXPECT_NE(refused.error().message.find(
                "第 15 条之后缺少记录（记录被删除）：检查点副本文件记录至第 20 条"),
            std::string::npos)
      << refused.error().message;
  AppendOther(16, 22);
  refused = Checkpoint(db(), key_, clock_, &file_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("第 20 条审计记录与检查点副本文件不符（记录链被改写）"),
            std::string::npos)
      << refused.error().message;
  // The server's schedule reports it too, and signs nothing.
  clock_.Set(clock_.Now() + std::chrono::minutes(1));
  auto maybe = MaybeCheckpoint(db(), key_, clock_, {}, &file_);
  ASSERT_FALSE(maybe.ok());
  EXPECT_EQ(maybe.error().code, "audit_chain_broken");
  EXPECT_EQ(Lines(file_.path()).size(), 1u);
}

TEST_P(CheckpointFileTest, AForgedLineIsNoticed) {
  AppendRange(1, 20);
  Sign();
  std::string line = Lines(file_.path()).at(0);
  auto json = nlohmann::json::parse(line);
  // The same checkpoint moved to entry 19, and its signature kept.
  json["seq"] = 19;
  json["entryHash"] = HashOf(19);
  AppendText(file_.path(), json.dump() + "\n");
  ExpectFinding(19, "第 2 行（第 19 条审计记录的检查点）签名无效（被伪造，或并非本节点密钥所签）");
}

TEST_P(CheckpointFileTest, ALineOfAnotherKeyIsNoticed) {
  AppendRange(1, 20);
  crypto::Sm2PrivateKey other = crypto::Sm2PrivateKey::Generate();
  ASSERT_TRUE(Checkpoint(db(), other, clock_, &file_).ok());
  Sql("DELETE FROM audit_checkpoint");
  ExpectFinding(20, "第 1 行（第 20 条审计记录的检查点）签名无效");
}

TEST_P(CheckpointFileTest, AnUnreadableLineIsNoticed) {
  AppendRange(1, 20);
  Sign();
  AppendText(file_.path(), "{\"seq\":\"20\"}\n");
  VerifyReport report = CheckFile();
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.bad_seq, 0);
  EXPECT_NE(report.problem.find("第 2 行无法识别（文件被改动或损坏）"), std::string::npos)
      << report.problem;
}

// A missing file is an error once the log has entries: the server signs a checkpoint
// at every start, so its absence means the wrong file, or a removed one.
TEST_P(CheckpointFileTest, AMissingFileIsAnErrorForALogWithEntries) {
  VerifyReport empty = CheckFile();
  EXPECT_TRUE(empty.ok()) << empty.problem;
  EXPECT_TRUE(empty.checkpoint_file_missing);
  AppendRange(1, 5);
  ASSERT_TRUE(Checkpoint(db(), key_, clock_).ok());  // in the database only
  VerifyReport report = CheckFile();
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(report.checkpoint_file_missing);
  EXPECT_EQ(report.bad_seq, 0);
  EXPECT_NE(report.problem.find("找不到检查点副本文件 " + file_.path()), std::string::npos)
      << report.problem;
  EXPECT_NE(report.problem.find("第 1 条起的记录没有外部凭证"), std::string::npos)
      << report.problem;
  EXPECT_TRUE(Check().ok()) << "the database alone still verifies";
  // The next checkpoint is due at once: the file has none.
  auto signed_one = MaybeCheckpoint(db(), key_, clock_, {}, &file_);
  ASSERT_TRUE(signed_one.ok()) << signed_one.error().message;
  EXPECT_TRUE(*signed_one);
  EXPECT_TRUE(CheckFile().ok());
}

// An append cut short (no newline) was never reported written: it is skipped, and the
// next append cuts it off.
// What a node starting on an empty log does (cli/audit_checkpointer.cpp): the file exists,
// empty, before the first checkpoint, so the entries of the first minute verify; creating
// it again later leaves its lines alone.
TEST_P(CheckpointFileTest, AnEmptyFileCreatedBeforeTheFirstCheckpointVerifies) {
  ASSERT_TRUE(file_.Create().ok());
  EXPECT_EQ(ReadText(file_.path()), "");
  AppendRange(1, 3);
  VerifyReport report = CheckFile();
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_FALSE(report.checkpoint_file_missing);
  Sign();
  ASSERT_TRUE(file_.Create().ok());
  EXPECT_EQ(Lines(file_.path()).size(), 1u);
  EXPECT_TRUE(CheckFile().ok());
}

TEST_P(CheckpointFileTest, AnInterruptedAppendIsCutOff) {
  AppendRange(1, 10);
  Sign();
  AppendText(file_.path(), "{\"seq\":10,\"entryHa");
  EXPECT_TRUE(CheckFile().ok()) << CheckFile().problem;
  AppendRange(11, 12);
  Sign();
  std::vector<std::string> lines = Lines(file_.path());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[1])["seq"], 12);
  VerifyReport report = CheckFile();
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.file_checkpoints, 2);
}

// The schedule follows the file: a checkpoint the database holds but the file does not
// (signed before the file existed) leaves one due.
TEST_P(CheckpointFileTest, TheScheduleFollowsTheFile) {
  AppendRange(1, 5);
  ASSERT_TRUE(Checkpoint(db(), key_, clock_).ok());
  const CheckpointPolicy policy{std::chrono::hours(1), 0};
  auto maybe = [&] {
    auto signed_one = MaybeCheckpoint(db(), key_, clock_, policy, &file_);
    EXPECT_TRUE(signed_one.ok()) << signed_one.error().message;
    return signed_one.ok() && *signed_one;
  };
  EXPECT_TRUE(maybe());
  EXPECT_FALSE(maybe());
  ASSERT_TRUE(Append(db(), Entry(6, clock_.Now())).ok());
  Seal();
  EXPECT_FALSE(maybe()) << "entry 6 has not waited an hour";
  EXPECT_EQ(Lines(file_.path()).size(), 1u);
}

// Purged entries cannot be checked any more; the file's checkpoints after the anchor are.
TEST_P(CheckpointFileTest, CheckpointsOfPurgedEntriesAreSkipped) {
  AppendRange(1, 5);
  Sign();
  AppendRange(6, 20);
  Sign();
  auto purged = Purge(db(), key_, kStart + std::chrono::seconds(10), clock_, kMinRetentionDays,
                      nullptr, &file_);
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  ASSERT_EQ(purged->anchor_seq, 9);
  auto anchor_line = nlohmann::json::parse(Lines(file_.path()).back());
  EXPECT_EQ(anchor_line["seq"], 9);
  EXPECT_EQ(anchor_line["purgeAnchor"], true);
  VerifyReport report = CheckFile();
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.file_checkpoints, 1);
  Truncate(15);
  ExpectFinding(16, "第 15 条之后缺少记录（记录被删除）：检查点副本文件记录至第 20 条");
}

// What someone who can write to the database does to delete the first entries without
// the 184 days' wait: delete them and move the anchor to a genuine, signed checkpoint
// (here the one of entry 5), as a purge would. The file holds no purge of entry 5.
TEST_P(CheckpointFileTest, AnAnchorNoPurgeLeftIsNoticed) {
  AppendRange(1, 5);
  CheckpointInfo genuine = Sign();
  AppendRange(6, 12);
  Sign();
  Sql("DELETE FROM audit_log WHERE seq <= $1", {int64_t{5}});
  Sql("UPDATE audit_head SET anchor_seq = $1, anchor_hash = $2 WHERE id = 1",
      {int64_t{5}, genuine.entry_hash});
  ExpectFinding(5, "日志起点（第 5 条，清理锚点）不是清理留下的");
}

// A purge refused after it copied its anchor (here: its own audit entry cannot be written)
// leaves a line for an anchor the log never had; the log still verifies.
TEST_P(CheckpointFileTest, TheLineOfAPurgeThatFailedIsHarmless) {
  AppendRange(1, 20);
  Sign();
  db::WriteAttachment refused([](db::Connection&) -> Status { return Error::Unavailable("x"); });
  auto purged = Purge(db(), key_, kStart + std::chrono::seconds(10), clock_, kMinRetentionDays,
                      &refused, &file_);
  ASSERT_FALSE(purged.ok());
  EXPECT_EQ(Records().size(), 20u);
  EXPECT_TRUE(CheckFile().ok());
}

NEMIS_STORE_TEST_SUITE(CheckpointFileTest);

}  // namespace
}  // namespace nemis::audit
