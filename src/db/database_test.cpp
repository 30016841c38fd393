// Store behaviour that must be identical on SQLite and PostgreSQL.
#include "db/database.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "base/metrics.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::db {
namespace {

constexpr std::string_view kCreateValues =
    "CREATE TABLE vals (id INTEGER PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, s TEXT, n TEXT)";
constexpr std::string_view kInsertValue =
    "INSERT INTO vals (id, i, r, s, n) VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kSelectValues = "SELECT id, i, r, s, n FROM vals ORDER BY id";
constexpr std::string_view kCreatePeople =
    "CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT NOT NULL, age INTEGER CHECK (age >= 0));"
    "CREATE UNIQUE INDEX people_email_key ON people (email)";
constexpr std::string_view kInsertPerson =
    "INSERT INTO people (id, email, age) VALUES ($1, $2, $3)";
constexpr std::string_view kCountPeople = "SELECT count(*) FROM people";

// Text that COPY and SQL literals must both carry unchanged.
const std::string kAwkwardText = "𠮷野家\ttab\nnewline\\back\\slash\rCR \\N 'quote' \"dq\" $1 %s";

class DatabaseTest : public testing::StoreTest {
 protected:
  void Exec(std::string_view script) {
    Status s = db().WithWriter([&](Connection& c) { return c.ExecScript(script); });
    ASSERT_OK(s);
  }
  int64_t Count(std::string_view sql) {
    auto n = db().Read<int64_t>([&](Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql));
      return rs.rows.at(0).Int(0);
    });
    EXPECT_OK(n);
    return n.ok() ? *n : -1;
  }
};

TEST_P(DatabaseTest, EveryTypeRoundTrips) {
  Exec(kCreateValues);
  const int64_t big = std::numeric_limits<int64_t>::max();
  const int64_t small = std::numeric_limits<int64_t>::min();
  Status s = db().WithWriter([&](Connection& c) -> Status {
    NEMIS_TRY(c.Query(kInsertValue, {1, big, 0.1, kAwkwardText, nullptr}));
    NEMIS_TRY(c.Query(kInsertValue, {2, small, -1.5e300, "", std::optional<std::string>()}));
    NEMIS_TRY(c.Query(kInsertValue, {3, Param(), Param(), Param(), "x"}));
    return {};
  });
  ASSERT_OK(s);
  auto rs = db().Read<ResultSet>([](Connection& c) { return c.Query(kSelectValues); });
  ASSERT_OK(rs);
  ASSERT_EQ(rs->size(), 3u);
  EXPECT_EQ(rs->columns, (std::vector<std::string>{"id", "i", "r", "s", "n"}));
  const Row& a = rs->rows[0];
  EXPECT_EQ(a.at(1), Value(big));
  EXPECT_EQ(a.at(2), Value(0.1));
  EXPECT_EQ(a.at(3), Value(kAwkwardText));
  EXPECT_TRUE(a.IsNull(4));
  const Row& b = rs->rows[1];
  EXPECT_EQ(b.at(1), Value(small));
  EXPECT_EQ(b.at(2), Value(-1.5e300));
  EXPECT_EQ(b.at(3), Value(std::string()));  // empty text stays text, not NULL
  EXPECT_TRUE(b.IsNull(4));
  const Row& c = rs->rows[2];
  for (size_t i = 1; i <= 3; ++i) EXPECT_TRUE(c.IsNull(i)) << i;
  EXPECT_EQ(c.Text(4), "x");
}

TEST_P(DatabaseTest, PlaceholdersOutOfOrderAndReused) {
  Exec("CREATE TABLE t (a TEXT, b TEXT, c TEXT)");
  Status s = db().WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query("INSERT INTO t (c, b, a) VALUES ($2, $1, $2)", {"one", "two"}));
    return {};
  });
  ASSERT_OK(s);
  auto rs = db().Read<ResultSet>([](Connection& c) {
    return c.Query("SELECT a, b, c, '$1' || $1 FROM t WHERE a = $1 OR b = $1", {"two"});
  });
  ASSERT_OK(rs);
  ASSERT_EQ(rs->size(), 1u);
  EXPECT_EQ(rs->rows[0].Text(0), "two");
  EXPECT_EQ(rs->rows[0].Text(1), "one");
  EXPECT_EQ(rs->rows[0].Text(2), "two");
  EXPECT_EQ(rs->rows[0].Text(3), "$1two");  // a $1 inside a literal is not a placeholder
}

TEST_P(DatabaseTest, WrongParameterCountIsAnError) {
  Exec("CREATE TABLE t (a TEXT, b TEXT)");
  Status s = db().WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query("INSERT INTO t (a, b) VALUES ($1, $2)", {"only one"}));
    return {};
  });
  ASSERT_THAT(s, nemis::testing::IsErrorCode("internal"));
  EXPECT_EQ(s.error().kind, ErrorKind::kInternal);
}

TEST_P(DatabaseTest, AffectedCountsChangedRowsOnly) {
  Exec(kCreatePeople);
  auto affected =
      db().Write<std::vector<int64_t>>([](Connection& c) -> Result<std::vector<int64_t>> {
        std::vector<int64_t> out;
        for (int i = 1; i <= 3; ++i) {
          NEMIS_ASSIGN_OR_RETURN(ResultSet rs,
                                 c.Query(kInsertPerson, {i, "p" + std::to_string(i), 20}));
          out.push_back(rs.affected);
        }
        NEMIS_ASSIGN_OR_RETURN(ResultSet upd,
                               c.Query("UPDATE people SET age = age + 1 WHERE id >= $1", {2}));
        out.push_back(upd.affected);
        NEMIS_ASSIGN_OR_RETURN(ResultSet sel, c.Query("SELECT * FROM people"));
        out.push_back(sel.affected);
        NEMIS_ASSIGN_OR_RETURN(ResultSet ret,
                               c.Query("DELETE FROM people WHERE id = $1 RETURNING email", {1}));
        out.push_back(ret.affected);
        EXPECT_EQ(ret.rows.at(0).Text(0), "p1");
        return out;
      });
  ASSERT_OK(affected);
  EXPECT_EQ(*affected, (std::vector<int64_t>{1, 1, 1, 2, 0, 1}));
}

TEST_P(DatabaseTest, UniqueViolationIsConflictNamingTheIndex) {
  Exec(kCreatePeople);
  ASSERT_OK(db().WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query(kInsertPerson, {1, "a@example.cn", 30}));
    return {};
  }));
  Status dup = db().WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query(kInsertPerson, {2, "a@example.cn", 31}));
    return {};
  });
  ASSERT_THAT(dup, nemis::testing::IsErrorCode("unique_violation"));
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(dup.error().code, kUniqueViolation);
  EXPECT_NE(dup.error().message.find("email"), std::string::npos) << dup.error().message;
  EXPECT_EQ(dup.error().message.find("a@example.cn"), std::string::npos) << "values must not leak";
  Status pk = db().WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query(kInsertPerson, {1, "b@example.cn", 31}));
    return {};
  });
  ASSERT_THAT(pk, nemis::testing::IsErrorCode(kUniqueViolation));
}

TEST_P(DatabaseTest, OtherConstraintsAreInvalid) {
  Exec(kCreatePeople);
  for (auto params : {std::vector<Param>{1, nullptr, 3}, std::vector<Param>{1, "x", -3}}) {
    Status s = db().WithWriter([&](Connection& c) -> Status {
      NEMIS_TRY(c.Query(kInsertPerson, params));
      return {};
    });
    ASSERT_THAT(s, nemis::testing::IsErrorCode("constraint_violation"));
    EXPECT_EQ(s.error().kind, ErrorKind::kInvalid) << s.error().message;
    EXPECT_EQ(s.error().code, "constraint_violation");
  }
}

TEST_P(DatabaseTest, FailedWorkLeavesNothing) {
  Exec(kCreatePeople);
  Status returned = db().WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query(kInsertPerson, {1, "a", 1}));
    NEMIS_TRY(c.Query(kInsertPerson, {2, "b", 1}));
    return Error::Invalid({}, "changed my mind");
  });
  EXPECT_EQ(returned.error().kind, ErrorKind::kInvalid);
  Status thrown = db().WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query(kInsertPerson, {3, "c", 1}));
    throw std::runtime_error("bug");
  });
  ASSERT_THAT(thrown, nemis::testing::IsErrorCode("internal"));
  EXPECT_EQ(thrown.error().kind, ErrorKind::kInternal);
  // A failed statement fails the work even when the work ignores it (PostgreSQL has
  // aborted the transaction; SQLite does the same so both behave alike).
  Status swallowed = db().WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query(kInsertPerson, {4, "d", 1}));
    (void)c.Query(kInsertPerson, {5, nullptr, 1});
    return {};
  });
  ASSERT_THAT(swallowed, nemis::testing::IsErrorCode("constraint_violation"));
  EXPECT_EQ(Count(kCountPeople), 0);
}

TEST_P(DatabaseTest, ExecScriptRunsSeveralStatements) {
  Exec(
      "CREATE TABLE a (x INTEGER); CREATE TABLE b (y INTEGER);\nINSERT INTO a VALUES (1); INSERT INTO b VALUES (2);");
  EXPECT_EQ(Count("SELECT (SELECT sum(x) FROM a) + (SELECT sum(y) FROM b)"), 3);
  Status bad = db().WithWriter(
      [](Connection& c) { return c.ExecScript("INSERT INTO a VALUES (5); SELEC 1;"); });
  EXPECT_THAT(bad, nemis::testing::IsErrorCode("internal"));
  EXPECT_EQ(Count("SELECT count(*) FROM a"), 1);
}

TEST_P(DatabaseTest, ReaderSeesOneSnapshot) {
  Exec(kCreatePeople);
  Status s = db().WithReader([&](Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(ResultSet before, c.Query(kCountPeople));
    // A write committed from another thread while this read transaction is open.
    std::thread writer([&] {
      Status w = db().WithWriter([](Connection& wc) -> Status {
        NEMIS_TRY(wc.Query(kInsertPerson, {1, "a", 1}));
        return {};
      });
      EXPECT_OK(w);
    });
    writer.join();
    NEMIS_ASSIGN_OR_RETURN(ResultSet after, c.Query(kCountPeople));
    EXPECT_EQ(before.rows[0].Int(0), 0);
    EXPECT_EQ(after.rows[0].Int(0), 0);
    return {};
  });
  ASSERT_OK(s);
  EXPECT_EQ(Count(kCountPeople), 1);
}

TEST_P(DatabaseTest, ReadersCannotWrite) {
  Exec(kCreatePeople);
  Status s = db().WithReader([](Connection& c) -> Status {
    NEMIS_TRY(c.Query(kInsertPerson, {1, "a", 1}));
    return {};
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Count(kCountPeople), 0);
}

TEST_P(DatabaseTest, PingAndRawWriter) {
  EXPECT_OK(db().Ping());
  Status raw = db().WithRawWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.ExecScript("CREATE TABLE r (x INTEGER)"));
    NEMIS_TRY(c.Query("INSERT INTO r VALUES ($1)", {7}));
    return {};
  });
  ASSERT_OK(raw);
  EXPECT_EQ(Count("SELECT x FROM r"), 7);
}

TEST_P(DatabaseTest, TimingsAreRecorded) {
  Exec(kCreatePeople);
  std::string backend = GetParam() == Backend::kSqlite ? "sqlite" : "postgres";
  std::string text = MetricsRegistry::Global().RenderText();
  EXPECT_NE(text.find("nemis_store_seconds_count{backend=\"" + backend + "\",op=\"commit\"}"),
            std::string::npos);
  EXPECT_NE(text.find("nemis_store_seconds_count{backend=\"" + backend + "\",op=\"write\"}"),
            std::string::npos);
}

NEMIS_STORE_TEST_SUITE(DatabaseTest);

TEST(DatabaseOpenTest, UnknownSchemeNamesSchemeButNotSecrets) {
  auto db = Database::Open("mysql://admin:s3cret@db.example.cn/nemis", Options{});
  ASSERT_THAT(db, nemis::testing::IsErrorCode("bad_store_url"));
  EXPECT_EQ(db.error().kind, ErrorKind::kBadRequest);
  EXPECT_EQ(db.error().code, "bad_store_url");
  EXPECT_NE(db.error().message.find("mysql"), std::string::npos);
  EXPECT_EQ(db.error().message.find("s3cret"), std::string::npos);
  EXPECT_EQ(Database::Open("", Options{}).error().code, "bad_store_url");
  EXPECT_EQ(Database::Open("admin:s3cret@host", Options{}).error().message.find("s3cret"),
            std::string::npos);
  EXPECT_EQ(Database::Open("sqlite:", Options{}).error().code, "bad_store_url");
}

TEST(DatabaseOpenTest, UnreachablePostgresIsUnavailableWithoutPassword) {
  Options options;
  options.busy_timeout_ms = 2000;
  auto db = Database::Open("postgresql://admin:s3cret@127.0.0.1:1/nemis", options);
  ASSERT_THAT(db, nemis::testing::IsErrorCode("store_unavailable"));
  EXPECT_EQ(db.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(db.error().code, kStoreUnavailable);
  EXPECT_EQ(db.error().message.find("s3cret"), std::string::npos) << db.error().message;
}

}  // namespace
}  // namespace nemis::db
