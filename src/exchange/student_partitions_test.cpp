// The national node partitioned by province over three PostgreSQL servers on loopback: the
// national node's own (the shared test cluster) and two shards, 广东 on one and 北京 on the
// other. Two provinces' nodes (SQLite) send their change logs as the pullers would.
#include "exchange/student_partitions.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <memory>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "db/migrations/migrate.hpp"
#include "exchange/change_applier.hpp"
#include "exchange/change_reader.hpp"
#include "exchange/replica_digest.hpp"
#include "exchange/shard_columns.hpp"
#include "org/org_store.hpp"
#include "registry/personal_record.hpp"
#include "registry/registry_case_testing.hpp"
#include "registry/shard_loader.hpp"
#include "registry/student_replica.hpp"
#include "registry/student_stats.hpp"
#include "registry/student_store.hpp"
#include "testing/pg_cluster.hpp"
#include "testing/pg_server.hpp"
#include "testing/result_matchers.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::exchange {
namespace {

using nemis::testing::IsErrorCode;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kNow = "2026-12-07T03:00:00Z";

std::unique_ptr<db::Database> OpenStore(const std::string& url) {
  db::Options options;
  options.pool_size = 2;
  options.busy_timeout_ms = 30000;
  auto opened = db::Database::Open(url, options);
  if (!opened.ok()) throw std::runtime_error(url + ": " + opened.error().message);
  return std::move(opened).value();
}

int64_t CountOf(db::Database& d, const std::string& sql) {
  auto n = d.Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
    return rs.rows.at(0).Int(0);
  });
  EXPECT_OK(n);
  return n.ok() ? *n : -1;
}

// A province's node: its store (SQLite), field keys, one school, and how far the national
// node has applied its log.
struct ProvinceNode {
  std::string code;
  std::string school;
  std::unique_ptr<db::Database> db;
  crypto::FieldCipher cipher{crypto::FieldKeys::Generate(1)};
  std::unique_ptr<registry::StudentStore> students;

  registry::Student Register(int seq) {
    registry::case_testing::Draft d;
    registry::case_testing::SetPupil(d, seq, school, 3, 2017, "2023-09");
    auto r = students->Register(registry::StudentViewer::Node(), d.input, {});
    EXPECT_OK(r);
    return r.ok() ? r->student : registry::Student{};
  }
};

// The two shard servers, started once for the suite (each test has its own databases there).
struct ShardServers {
  nemis::testing::PgServer guangdong{false};
  nemis::testing::PgServer beijing{false};
};
std::unique_ptr<ShardServers> shards;

class StudentPartitionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shards = std::make_unique<ShardServers>(); }
  static void TearDownTestSuite() { shards.reset(); }

  void SetUp() override {
    national_name_ = nemis::testing::PgCluster::UniqueName("national");
    national_ = OpenStore(nemis::testing::PgCluster::CreateDatabase(national_name_));
    ASSERT_OK(db::Migrate(*national_));
    ASSERT_OK(org::OrgStore(*national_).SeedDivisions("000000"));
    shard_name_ = nemis::testing::PgCluster::UniqueName("shard");
    guangdong_url_ = shards->guangdong.CreateDatabase(shard_name_);
    beijing_url_ = shards->beijing.CreateDatabase(shard_name_);
    MakeProvince(guangdong_, "440000", "2144000001", "440106");
    MakeProvince(beijing_, "110000", "2111000001", "110101");
  }

  void TearDown() override {
    national_.reset();
    nemis::testing::PgCluster::DropDatabase(national_name_);
    shards->guangdong.DropDatabase(shard_name_);
    shards->beijing.DropDatabase(shard_name_);
  }

  void MakeProvince(ProvinceNode& p, const std::string& code, const std::string& school,
                    const std::string& county) {
    p.code = code;
    p.school = school;
    p.db = OpenStore("sqlite:" + dir_.File(code + ".db"));
    ASSERT_OK(db::Migrate(*p.db));
    org::OrgStore orgs(*p.db);
    ASSERT_OK(orgs.SeedDivisions(code));
    org::InstitutionInput in;
    in.code = school;
    in.parent_code = county;
    in.name = code + " 第一小学";
    in.school_type = "211";
    ASSERT_OK(orgs.Create(org::Scope::Everything(), in));
    p.students = std::make_unique<registry::StudentStore>(*p.db, p.cipher);
  }

  // The province's next batch, as the national node opens it.
  OpenedBatch NextBatch(ProvinceNode& p) {
    auto checkpoint = national_->Read<std::optional<Checkpoint>>(
        [&](db::Connection& c) { return LoadCheckpoint(c, p.code); });
    EXPECT_OK(checkpoint);
    const int64_t after = checkpoint.ok() && checkpoint->has_value() ? (*checkpoint)->last_seq : 0;
    auto batch = ReadChanges(*p.db, p.cipher, after, 1000);
    EXPECT_OK(batch);
    if (!batch.ok()) return {};
    return {HeaderFor(*batch, p.code, "000000"), batch->payload,
            crypto::ToHex(crypto::Sm3(batch->payload))};
  }

  Result<ApplyReport> Pull(ProvinceNode& p) {
    return ApplyBatch(*national_, national_cipher_, NextBatch(p), Clock::System());
  }

  ReplicaDigest Digest(db::Database& d, const crypto::FieldCipher& cipher,
                       const std::string& province) {
    auto digest = DigestProvince(d, cipher, province);
    EXPECT_OK(digest);
    return digest.ok() ? *digest : ReplicaDigest{};
  }

  void ExpectInStep(ProvinceNode& p) {
    EXPECT_EQ(Digest(*national_, national_cipher_, p.code), Digest(*p.db, p.cipher, p.code));
  }

  void PlaceBoth() {
    ASSERT_OK(PlaceProvinceOnShard(*national_, {"440000", guangdong_url_}, kNow));
    ASSERT_OK(PlaceProvinceOnShard(*national_, {"110000", beijing_url_}, kNow));
  }

  // Rows of the province's table on its shard, read on the shard itself.
  static int64_t OnShard(const std::string& url, const std::string& province) {
    return CountOf(*OpenStore(url), "SELECT COUNT(*) FROM student_" + province);
  }

  registry::StatsResult NationalCount(const std::vector<registry::StatsDimension>& by) {
    auto counted = registry::CountStudents(*national_, org::Scope::Everything(), {"", by, false});
    EXPECT_OK(counted);
    return counted.ok() ? *counted : registry::StatsResult{};
  }

  nemis::testing::TempDir dir_;
  std::string national_name_, shard_name_, guangdong_url_, beijing_url_;
  std::unique_ptr<db::Database> national_;
  crypto::FieldCipher national_cipher_{crypto::FieldKeys::Generate(1)};
  ProvinceNode guangdong_, beijing_;
};

TEST_F(StudentPartitionsTest, MovesEachProvinceToItsShardAndKeepsTheReplicaWhole) {
  for (int seq = 1; seq <= 3; ++seq) guangdong_.Register(seq);
  for (int seq = 11; seq <= 12; ++seq) beijing_.Register(seq);
  ASSERT_OK(Pull(guangdong_));
  ASSERT_OK(Pull(beijing_));
  const auto before = NationalCount({registry::StatsDimension::kOrg});

  PlaceBoth();

  EXPECT_EQ(OnShard(guangdong_url_, "440000"), 3);
  EXPECT_EQ(OnShard(beijing_url_, "110000"), 2);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM student_local"), 0);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM student"), 5);
  ExpectInStep(guangdong_);
  ExpectInStep(beijing_);
  const auto after = NationalCount({registry::StatsDimension::kOrg});
  EXPECT_EQ(after.total, 5);
  ASSERT_EQ(after.rows.size(), before.rows.size());
  for (size_t i = 0; i < after.rows.size(); ++i)
    EXPECT_EQ(after.rows[i].count, before.rows[i].count);

  // Later batches land on the shards, with ids the national node goes on allocating.
  guangdong_.Register(4);
  beijing_.Register(13);
  ASSERT_OK(Pull(guangdong_));
  ASSERT_OK(Pull(beijing_));
  EXPECT_EQ(OnShard(guangdong_url_, "440000"), 4);
  EXPECT_EQ(OnShard(beijing_url_, "110000"), 3);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(DISTINCT id) FROM student"), 7);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM national_number"), 7);
  ExpectInStep(guangdong_);
  ExpectInStep(beijing_);
  // Each registration keeps its history on the national node, as unpartitioned: by row
  // triggers, as the foreign partitions cannot feed the statement triggers' transition tables.
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(DISTINCT student_id) FROM student_history"), 7);
  EXPECT_EQ(CountOf(*national_,
                    "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = 'student'::regclass "
                    "AND tgname LIKE 'student_history_%' AND (tgtype & 1) = 1"),
            2);

  auto placed = PlacedProvinces(*national_);
  ASSERT_OK(placed);
  ASSERT_EQ(placed->size(), 2u);
  EXPECT_EQ((*placed)[0].province, "110000");
  EXPECT_EQ((*placed)[0].students_moved, 2);
  EXPECT_EQ((*placed)[1].server, "shard_440000");
  EXPECT_EQ((*placed)[1].students_moved, 3);
  EXPECT_THAT((*placed)[1].location, HasSubstr("127.0.0.1:"));
  EXPECT_THAT((*placed)[1].location, Not(HasSubstr("postgres@")));
}

TEST_F(StudentPartitionsTest, NewStudentsReachTheirShardInOneBatchWithIndexAndHistory) {
  guangdong_.Register(1);
  ASSERT_OK(Pull(guangdong_));
  PlaceBoth();
  // Counts the INSERT statements the shard runs: postgres_fdw sending rows one at a time
  // would run one each.
  ASSERT_OK(OpenStore(guangdong_url_)->WithWriter([](db::Connection& c) {
    return c.ExecScript(
        "CREATE TABLE inserts_seen (statement INT);"
        "CREATE FUNCTION count_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO public.inserts_seen VALUES (1); RETURN NULL; END $$;"
        "CREATE TRIGGER count_insert AFTER INSERT ON student_440000 "
        "FOR EACH STATEMENT EXECUTE FUNCTION count_insert();");
  }));
  // More than one statement's worth (500 rows, registry/shard_loader.cpp).
  for (int seq = 2; seq <= 601; ++seq) guangdong_.Register(seq);
  ASSERT_OK(Pull(guangdong_));
  auto statements = [&] {
    return CountOf(*OpenStore(guangdong_url_), "SELECT COUNT(*) FROM inserts_seen");
  };

  EXPECT_EQ(OnShard(guangdong_url_, "440000"), 601);
  EXPECT_EQ(statements(), 2);
  ExpectInStep(guangdong_);
  // What the triggers write for a row inserted through `student`: its person index entries
  // and its first history state.
  EXPECT_EQ(CountOf(*national_,
                    "SELECT COUNT(*) FROM national_number n JOIN student s ON s.id = n.student_id "
                    "AND s.province_code = n.province_code AND s.number_index = n.number_index"),
            601);
  EXPECT_EQ(
      CountOf(*national_,
              "SELECT COUNT(*) FROM national_document d JOIN student s ON s.id = d.student_id "
              "AND s.id_type = d.id_type AND s.id_index = d.id_index"),
      601);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM student_history"), 601);
  EXPECT_EQ(CountOf(*national_,
                    "SELECT COUNT(*) FROM student_history h JOIN student s ON s.id = h.student_id "
                    "AND h.valid_from = s.updated_at AND h.school_id = s.school_id "
                    "AND h.grade = s.grade AND h.grade_mark = s.grade_mark AND h.status = s.status "
                    "AND h.birth_date = s.birth_date AND h.gender = s.gender"),
            601);

  // A store sharded before loaders were made writes through `student`, a row at a time,
  // until it is opened again and its loader made.
  ASSERT_OK(national_->WithWriter([](db::Connection& c) {
    return c.ExecScript("DROP FOREIGN TABLE shard_load.student_440000");
  }));
  guangdong_.Register(602);
  guangdong_.Register(603);
  ASSERT_OK(Pull(guangdong_));
  EXPECT_EQ(statements(), 4);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM student_history"), 603);
  ExpectInStep(guangdong_);
  ASSERT_OK(FollowColumnsOnShards(*national_));
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM shard_load.student_440000"), 603);
}

// Migration 31 writes the history per statement; a store partitioned before it keeps the row
// triggers its foreign partitions need.
TEST_F(StudentPartitionsTest, AStorePartitionedBeforeMigration31KeepsItsHistoryRowTriggers) {
  national_.reset();
  nemis::testing::PgCluster::DropDatabase(national_name_);
  national_name_ = nemis::testing::PgCluster::UniqueName("national");
  national_ = OpenStore(nemis::testing::PgCluster::CreateDatabase(national_name_));
  ASSERT_OK(db::MigrateTo(*national_, 30));
  ASSERT_OK(org::OrgStore(*national_).SeedDivisions("000000"));
  guangdong_.Register(1);
  beijing_.Register(11);
  ASSERT_OK(Pull(guangdong_));
  ASSERT_OK(Pull(beijing_));
  ASSERT_OK(PlaceProvinceOnShard(*national_, {"440000", guangdong_url_}, kNow));
  ASSERT_OK(db::Migrate(*national_));
  const std::string row_triggers =
      "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = 'student'::regclass "
      "AND tgname LIKE 'student_history_%' AND (tgtype & 1) = 1";
  EXPECT_EQ(CountOf(*national_, row_triggers), 2);

  guangdong_.Register(2);  // on the shard
  beijing_.Register(12);   // in the local partition
  ASSERT_OK(Pull(guangdong_));
  ASSERT_OK(Pull(beijing_));
  ExpectInStep(guangdong_);
  ExpectInStep(beijing_);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(DISTINCT student_id) FROM student_history"), 4);
}

TEST_F(StudentPartitionsTest, TheLoaderTakesNoKeyTheIndexGivesAnotherStudent) {
  guangdong_.Register(1);
  ASSERT_OK(Pull(guangdong_));
  PlaceBoth();
  registry::Student s = guangdong_.Register(2);  // not pulled
  s.enrolment.school_id =
      CountOf(*national_, "SELECT id FROM org WHERE code = '" + guangdong_.school + "'");
  registry::SealPersonal(national_cipher_, s);
  s.id = CountOf(*national_, "SELECT MAX(id) + 1 FROM student");
  s.version = 1;
  const registry::Student* one[] = {&s};
  // Another province's student holds the number, or the document, in the person index.
  auto held = [&](const std::string& index_row) {
    return national_->WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(c.Query(index_row, {s.sealed.number_index, *s.id_type, *s.sealed.id_index}));
      return registry::InsertThroughLoader(c, "440000", one);
    });
  };
  Status number =
      held("INSERT INTO national_number SELECT $1, '110000', 424242 WHERE $2 <> '' AND $3 <> ''");
  EXPECT_THAT(number, IsErrorCode("unique_violation"));
  EXPECT_THAT(number.error().message, HasSubstr("national_number_pkey"));
  Status document =
      held("INSERT INTO national_document SELECT $2, $3, '110000', 424242 WHERE $1 <> ''");
  EXPECT_THAT(document, IsErrorCode("unique_violation"));
  EXPECT_THAT(document.error().message, HasSubstr("national_document_pkey"));
  // Nothing of either attempt stays, on the shard or here.
  EXPECT_EQ(OnShard(guangdong_url_, "440000"), 1);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM national_number"), 1);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM student_history"), 1);
  // Held by no one, it is taken.
  ASSERT_OK(national_->WithWriter(
      [&](db::Connection& c) { return registry::InsertThroughLoader(c, "440000", one); }));
  EXPECT_EQ(OnShard(guangdong_url_, "440000"), 2);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM national_document"), 2);
}

TEST_F(StudentPartitionsTest, CountsEachProvinceOnItsShard) {
  guangdong_.Register(1);
  guangdong_.Register(2);
  beijing_.Register(11);
  ASSERT_OK(Pull(guangdong_));
  ASSERT_OK(Pull(beijing_));
  const auto before = NationalCount({registry::StatsDimension::kGender});
  PlaceBoth();
  // A new connection, as `nemis serve` opens after the command: it takes the database's
  // enable_partitionwise_aggregate.
  national_ = OpenStore(nemis::testing::PgCluster::Url(national_name_));
  const auto after = NationalCount({registry::StatsDimension::kGender});
  EXPECT_EQ(after.total, 3);
  ASSERT_EQ(after.rows.size(), before.rows.size());
  for (size_t i = 0; i < after.rows.size(); ++i)
    EXPECT_EQ(after.rows[i].count, before.rows[i].count);

  // What registry::CountStudents runs at the national root.
  const std::string count = registry::NationalCountSql({registry::StatsDimension::kGender}, false);
  auto plan = national_->Read<std::string>([&](db::Connection& c) -> Result<std::string> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("EXPLAIN (VERBOSE, COSTS OFF) " + count));
    std::string text;
    for (const db::Row& r : rs.rows) text += r.Text(0) + "\n";
    return text;
  });
  ASSERT_OK(plan);
  EXPECT_THAT(*plan, HasSubstr("Relations: Aggregate on (public.student_440000"));
  EXPECT_THAT(*plan, HasSubstr("Relations: Aggregate on (public.student_110000"));
  EXPECT_THAT(*plan, HasSubstr("GROUP BY 1, 2"));  // the remote SQL counts on the shard
}

TEST_F(StudentPartitionsTest, OnePersonOneNumberAcrossShards) {
  beijing_.Register(20);  // the school and a first child, so that both provinces are known
  guangdong_.Register(21);
  ASSERT_OK(Pull(guangdong_));
  ASSERT_OK(Pull(beijing_));
  PlaceBoth();

  // The same child (one citizen ID, one G number) registered by both provinces, their batches
  // applied at the same time: one registration is kept, the other is a conflict.
  guangdong_.Register(7);
  beijing_.Register(7);
  auto race = [this](ProvinceNode* p) {
    Result<ApplyReport> r = Pull(*p);
    for (int attempt = 0; attempt < 3 && !r.ok(); ++attempt) r = Pull(*p);  // as the puller
    return r;
  };
  auto a = std::async(std::launch::async, race, &guangdong_);
  auto b = std::async(std::launch::async, race, &beijing_);
  auto ra = a.get();
  auto rb = b.get();
  ASSERT_OK(ra);
  ASSERT_OK(rb);
  EXPECT_EQ(ra->conflicts + rb->conflicts, 1);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM student"), 3);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM exchange_conflict"), 1);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM national_number"), 3);
  EXPECT_EQ(CountOf(*national_,
                    "SELECT COUNT(*) FROM national_number n JOIN student s "
                    "ON s.id = n.student_id AND s.province_code = n.province_code"),
            3);

  // Written straight into another province's partition, a number held is refused.
  auto moved = national_->WithWriter([](db::Connection& c) -> Status {
    auto rs = c.Query(
        "INSERT INTO student (id, number_index, number_kind, name, gender, birth_date, ethnicity,"
        " nationality, school_id, province_code, school_code, stage, grade, class_no, entry_date,"
        " created_at, updated_at) SELECT nextval('student_ids'), number_index, number_kind, name,"
        " gender, birth_date, ethnicity, nationality, school_id, '110000', school_code, stage,"
        " grade, class_no, entry_date, created_at, updated_at FROM student"
        " WHERE province_code = '440000' LIMIT 1");
    if (!rs.ok()) return std::move(rs).error();
    return {};
  });
  EXPECT_THAT(moved, IsErrorCode("unique_violation"));
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM student"), 3);
}

TEST_F(StudentPartitionsTest, AChildTransferredAcrossProvincesMovesBetweenShards) {
  guangdong_.Register(5);
  beijing_.Register(30);
  ASSERT_OK(Pull(guangdong_));
  ASSERT_OK(Pull(beijing_));
  PlaceBoth();
  const int64_t id = CountOf(*national_, "SELECT id FROM student WHERE province_code = '440000'");

  // 北京's registration of the child replaces 广东's (change_applier.cpp, a transfer followed).
  registry::case_testing::Draft d;
  registry::case_testing::SetPupil(d, 5, beijing_.school, 3, 2017, "2023-09");
  auto in_beijing = beijing_.students->Register(registry::StudentViewer::Node(), d.input, {});
  ASSERT_OK(in_beijing);
  ASSERT_OK(national_->WithWriter([&](db::Connection& c) {
    return registry::ReplaceReplicaStudent(c, national_cipher_, in_beijing->student, id, kNow);
  }));

  EXPECT_EQ(OnShard(guangdong_url_, "440000"), 0);
  EXPECT_EQ(OnShard(beijing_url_, "110000"), 2);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM student WHERE id = " + std::to_string(id) +
                                    " AND province_code = '110000' AND version = 2"),
            1);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM national_number WHERE student_id = " +
                                    std::to_string(id) + " AND province_code = '110000'"),
            1);
}

TEST_F(StudentPartitionsTest, ACopyTheIndexNamesAndNoShardHoldsIsRegisteredAgain) {
  guangdong_.Register(1);
  guangdong_.Register(2);
  ASSERT_OK(Pull(guangdong_));
  PlaceBoth();
  // A move between shards cut short between the two commits: the index names a copy the
  // province's shard no longer holds.
  ASSERT_OK(OpenStore(guangdong_url_)->WithWriter([](db::Connection& c) {
    return c.ExecScript(
        "DELETE FROM student_440000 WHERE id = (SELECT MIN(id) FROM "
        "student_440000)");
  }));
  ASSERT_OK(ResetCheckpoint(*national_, "440000"));
  auto again = Pull(guangdong_);  // the province's whole log once more
  ASSERT_OK(again);
  EXPECT_EQ(again->conflicts, 0);
  ExpectInStep(guangdong_);
  EXPECT_EQ(OnShard(guangdong_url_, "440000"), 2);
  EXPECT_EQ(CountOf(*national_,
                    "SELECT COUNT(*) FROM national_number n JOIN student s "
                    "ON s.id = n.student_id AND s.province_code = n.province_code"),
            2);
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM national_number"), 2);
  // The copy that stayed was written over, as a later version.
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM student WHERE version = 2"), 1);
}

TEST_F(StudentPartitionsTest, TellsWhichShardCannotBeRead) {
  guangdong_.Register(1);
  guangdong_.Register(2);
  beijing_.Register(11);
  ASSERT_OK(Pull(guangdong_));
  ASSERT_OK(Pull(beijing_));
  PlaceBoth();
  auto states = CheckShards(*national_);
  ASSERT_OK(states);
  ASSERT_EQ(states->size(), 2u);
  EXPECT_EQ((*states)[0].placed.province, "110000");
  EXPECT_EQ((*states)[0].students, 1);
  EXPECT_EQ((*states)[1].students, 2);
  EXPECT_EQ((*states)[1].problem, "");

  // A migration adding a column to `student` reaches the national node's tables only.
  ASSERT_OK(national_->WithWriter(
      [](db::Connection& c) { return c.ExecScript("ALTER TABLE student ADD COLUMN extra TEXT"); }));
  states = CheckShards(*national_);
  ASSERT_OK(states);
  for (const ShardState& state : *states) {
    EXPECT_EQ(state.students, -1);
    EXPECT_THAT(state.problem, HasSubstr("extra")) << state.placed.province;
    EXPECT_THAT(state.problem, HasSubstr("127.0.0.1:")) << state.placed.province;
  }
  ASSERT_OK(OpenStore(beijing_url_)->WithWriter([](db::Connection& c) {
    return c.ExecScript("ALTER TABLE student_110000 ADD COLUMN extra TEXT");
  }));
  states = CheckShards(*national_);
  ASSERT_OK(states);
  EXPECT_EQ((*states)[0].problem, "");
  EXPECT_EQ((*states)[0].students, 1);
  EXPECT_NE((*states)[1].problem, "");
}

TEST_F(StudentPartitionsTest, ShardsFollowTheColumnsAMigrationChanges) {
  guangdong_.Register(1);
  ASSERT_OK(Pull(guangdong_));
  PlaceBoth();
  auto migrate = [&](const std::string& sql) {
    return national_->WithWriter([&](db::Connection& c) { return c.ExecScript(sql); });
  };
  ASSERT_OK(
      migrate("ALTER TABLE student ADD COLUMN extra SMALLINT NOT NULL DEFAULT 7;"
              "ALTER TABLE student ADD COLUMN gone TEXT"));
  auto followed = FollowColumnsOnShards(*national_);
  ASSERT_OK(followed);
  ASSERT_EQ(followed->size(), 2u);
  for (const ShardColumnsFollowed& shard : *followed) {
    EXPECT_EQ(shard.problem, "") << shard.province;
    EXPECT_THAT(shard.changes,
                ::testing::ElementsAre("ADD COLUMN extra smallint DEFAULT 7 NOT NULL",
                                       "ADD COLUMN gone text"))
        << shard.province;
  }
  // The province's batches apply again, the new column filled by its default.
  guangdong_.Register(2);
  ASSERT_OK(Pull(guangdong_));
  EXPECT_EQ(
      CountOf(*OpenStore(guangdong_url_), "SELECT COUNT(*) FROM student_440000 WHERE extra = 7"),
      2);
  ASSERT_OK(migrate("ALTER TABLE student DROP COLUMN gone"));
  followed = FollowColumnsOnShards(*national_);
  ASSERT_OK(followed);
  for (const ShardColumnsFollowed& shard : *followed) {
    EXPECT_THAT(shard.changes, ::testing::ElementsAre("DROP COLUMN gone")) << shard.province;
  }
  // The loaders, made again, have the columns as they are now.
  EXPECT_EQ(CountOf(*national_,
                    "SELECT COUNT(*) FROM pg_attribute WHERE attrelid = "
                    "'shard_load.student_440000'::regclass AND attname IN ('extra', 'gone') "
                    "AND NOT attisdropped"),
            1);
  auto states = CheckShards(*national_);
  ASSERT_OK(states);
  for (const ShardState& state : *states) EXPECT_EQ(state.problem, "") << state.placed.province;
  EXPECT_EQ(CountOf(*OpenStore(guangdong_url_), "SELECT MIN(extra) FROM student_440000"), 7);
  // Nothing left to change the second time.
  followed = FollowColumnsOnShards(*national_);
  ASSERT_OK(followed);
  for (const ShardColumnsFollowed& shard : *followed) EXPECT_TRUE(shard.changes.empty());

  // A shard that cannot be reached is reported and left as it was; the other follows.
  ASSERT_OK(
      migrate("ALTER TABLE student ADD COLUMN later TEXT;"
              "ALTER SERVER shard_110000 OPTIONS (SET port '1')"));
  followed = FollowColumnsOnShards(*national_);
  ASSERT_OK(followed);
  EXPECT_THAT((*followed)[0].problem, HasSubstr("分片 127.0.0.1:"));
  EXPECT_TRUE((*followed)[0].changes.empty());
  EXPECT_THAT((*followed)[1].changes, ::testing::ElementsAre("ADD COLUMN later text"));
}

TEST_F(StudentPartitionsTest, RefusesWhatItCannotPlace) {
  guangdong_.Register(1);
  ASSERT_OK(Pull(guangdong_));
  EXPECT_THAT(PlaceProvinceOnShard(*national_, {"440100", guangdong_url_}, kNow),
              IsErrorCode("bad_province"));
  EXPECT_THAT(PlaceProvinceOnShard(*national_, {"440000", "postgresql://[bad"}, kNow),
              IsErrorCode("bad_shard_url"));
  auto no_host = PlaceProvinceOnShard(*national_, {"440000", "postgresql:///nemis"}, kNow);
  EXPECT_THAT(no_host, IsErrorCode("bad_shard_url"));
  EXPECT_THAT(no_host.error().message, HasSubstr("主机和数据库"));
  EXPECT_THAT(PlaceProvinceOnShard(*guangdong_.db, {"440000", guangdong_url_}, kNow),
              IsErrorCode("not_postgresql"));
  // A shard that does not answer: nothing changes on the national node.
  auto unreachable =
      PlaceProvinceOnShard(*national_, {"440000", "postgresql://postgres@127.0.0.1:1/x"}, kNow);
  ASSERT_FALSE(unreachable.ok());
  EXPECT_EQ(unreachable.error().kind, ErrorKind::kUnavailable);
  EXPECT_THAT(unreachable.error().message, HasSubstr("127.0.0.1:1/x"));
  EXPECT_EQ(CountOf(*national_, "SELECT COUNT(*) FROM pg_partitioned_table"), 0);

  // A shard database whose table already holds rows is not written over.
  ASSERT_OK(OpenStore(guangdong_url_)->WithWriter([](db::Connection& c) {
    return c.ExecScript(
        "CREATE TABLE student_440000 (id BIGINT); INSERT INTO student_440000 "
        "VALUES (1)");
  }));
  EXPECT_THAT(PlaceProvinceOnShard(*national_, {"440000", guangdong_url_}, kNow),
              IsErrorCode("shard_not_empty"));

  ASSERT_OK(PlaceProvinceOnShard(*national_, {"440000", beijing_url_}, kNow));
  EXPECT_THAT(PlaceProvinceOnShard(*national_, {"440000", beijing_url_}, kNow),
              IsErrorCode("province_placed"));
  EXPECT_EQ(OnShard(beijing_url_, "440000"), 1);
}

}  // namespace
}  // namespace nemis::exchange
