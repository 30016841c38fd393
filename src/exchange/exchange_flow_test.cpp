// A province's changes carried to the national node on both stores: read from the province's
// log, sealed and signed, opened and applied there by natural key; applied once however often
// it comes; refused out of order, from another province, or changed on the way, writing
// nothing; one person, one number kept as a conflict while the rest of the batch applies.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "db/change_log.hpp"
#include "exchange/batch_envelope.hpp"
#include "exchange/change_reader.hpp"
#include "exchange/exchange_testing.hpp"
#include "exchange/replica_digest.hpp"
#include "registry/personal_record.hpp"
#include "registry/student_replica.hpp"
#include "registry/temporary_number_conversion.hpp"

namespace nemis::exchange {
namespace {

using nemis::testing::IsErrorCode;
using registry::StudentViewer;

using testing::kSchool1;
using testing::kSchool2;

class ExchangeFlowTest : public testing::TwoNodeTest {};

TEST_P(ExchangeFlowTest, ABatchCarriesTheTreeAndStudentsWithoutTheirContactDetails) {
  registry::Student a = Register(*province_students_, 1, kSchool1);
  registry::Student b = Register(*province_students_, 2, kSchool2);
  OpenedBatch batch = NextBatch(0);
  EXPECT_EQ(batch.header.after, 0);
  EXPECT_GT(batch.header.last, 0);

  auto report = ApplyBatch(*national_, national_cipher_, batch);
  ASSERT_OK(report);
  EXPECT_FALSE(report->repeated);
  EXPECT_EQ(report->conflicts, 0);
  EXPECT_EQ(report->checkpoint, batch.header.last);
  EXPECT_EQ(Checkpoint(), batch.header.last);

  auto school = org::OrgStore(*national_).Get(org::Scope::Everything(), kSchool2);
  ASSERT_OK(school);
  EXPECT_EQ(school->name, "荔湾区第一小学");
  EXPECT_EQ(school->county_code, "440103");
  auto got = national_students_->Get(StudentViewer::Node(), a.student_number);
  ASSERT_OK(got);
  EXPECT_EQ(got->name, a.name);
  EXPECT_EQ(got->id_number, a.id_number);
  EXPECT_EQ(got->enrolment.school_code, kSchool1);
  EXPECT_EQ(got->enrolment.grade, 3);
  EXPECT_EQ(got->guardian1.name, "王家长");
  // Contact details stay on the province's node.
  EXPECT_EQ(a.address, "广州市天河区体育西路1号");
  EXPECT_FALSE(got->address.has_value());
  EXPECT_FALSE(got->phone.has_value());
  EXPECT_OK(national_students_->Get(StudentViewer::Node(), b.student_number));
  // The payload never holds the contact details either.
  EXPECT_EQ(batch.payload.find("13800138000"), std::string::npos);
  EXPECT_EQ(batch.payload.find("体育西路"), std::string::npos);
}

TEST_P(ExchangeFlowTest, ABatchAppliedTwiceWritesOnce) {
  Register(*province_students_, 1, kSchool1);
  OpenedBatch batch = NextBatch(0);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, batch));
  const int64_t log = Count(*national_, "SELECT COUNT(*) FROM change_log");
  auto again = ApplyBatch(*national_, national_cipher_, batch);
  ASSERT_OK(again);
  EXPECT_TRUE(again->repeated);
  EXPECT_EQ(again->records, 0);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM change_log"), log);
  EXPECT_EQ(Count(*national_, "SELECT batches FROM exchange_checkpoint"), 1);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 1);
}

// Parsing seals each student for the receiving node (its blind indexes, its key), so that the
// writer's transaction does not: what it stores is what this node's own sealing would store.
TEST_P(ExchangeFlowTest, AParsedBatchHoldsItsStudentsSealedForTheReceiver) {
  registry::Student a = Register(*province_students_, 1, kSchool1);
  auto parsed = ParseBatch(NextBatch(0), national_cipher_);
  ASSERT_OK(parsed);
  const registry::Student* student = nullptr;
  for (const ChangeRecord& r : parsed->records)
    if (const auto* s = std::get_if<registry::Student>(&r.value)) student = s;
  ASSERT_NE(student, nullptr);
  registry::Student expected = *student;
  registry::SealPersonal(national_cipher_, expected);
  EXPECT_EQ(student->sealed.number_index, expected.sealed.number_index);
  EXPECT_EQ(student->sealed.id_index, expected.sealed.id_index);
  registry::Student at_province = *student;
  registry::SealPersonal(province_cipher_, at_province);
  EXPECT_NE(student->sealed.number_index, at_province.sealed.number_index);

  ASSERT_OK(ApplyParsedBatch(*national_, national_cipher_, *parsed));
  auto got = national_students_->Get(StudentViewer::Node(), a.student_number);
  ASSERT_OK(got);
  EXPECT_EQ(got->id_number, a.id_number);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student WHERE number_index = '" +
                                  expected.sealed.number_index + "'"),
            1);
}

TEST_P(ExchangeFlowTest, LaterChangesFollowAndAGapIsRefusedWritingNothing) {
  Register(*province_students_, 1, kSchool1);
  OpenedBatch first = NextBatch(0);
  Register(*province_students_, 2, kSchool1);
  OpenedBatch second = NextBatch(first.header.last);
  Register(*province_students_, 3, kSchool2);
  OpenedBatch third = NextBatch(second.header.last);

  ASSERT_OK(ApplyBatch(*national_, national_cipher_, first));
  // The third before the second: a gap.
  EXPECT_THAT(ApplyBatch(*national_, national_cipher_, third), IsErrorCode("batch_out_of_order"));
  EXPECT_EQ(Checkpoint(), first.header.last);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 1);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, second));
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, third));
  EXPECT_EQ(Checkpoint(), third.header.last);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 3);
}

TEST_P(ExchangeFlowTest, AChangedStudentReplacesItsReplicaByNumber) {
  registry::Student a = Register(*province_students_, 1, kSchool1);
  OpenedBatch first = NextBatch(0);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, first));
  ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query("UPDATE student SET class_no = '05' WHERE id = $1", {a.id}));
    const int64_t ids[] = {a.id};
    return db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, "2026-12-06T00:00:00Z");
  }));
  OpenedBatch second = NextBatch(first.header.last);
  EXPECT_EQ(second.header.count, 1);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, second));
  auto got = national_students_->Get(StudentViewer::Node(), a.student_number);
  ASSERT_OK(got);
  EXPECT_EQ(got->enrolment.class_no, "05");
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 1);
}

// Counts, in table `rewrites`, the national node's updates that set an indexed column of the
// student table other than the class (the index entries SQLite rewrites for a column set).
void CountIndexRewrites(db::Database& d, db::Backend backend) {
  constexpr std::string_view kColumns =
      "number_index, id_type, id_index, name, id_check, school_id, grade";
  const std::string sql =
      backend == db::Backend::kSqlite
          ? "CREATE TABLE rewrites (n INTEGER);"
            "CREATE TRIGGER count_rewrites AFTER UPDATE OF " +
                std::string(kColumns) + " ON student BEGIN INSERT INTO rewrites VALUES (1); END;"
          : "CREATE TABLE rewrites (n INTEGER);"
            "CREATE FUNCTION count_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO rewrites VALUES (1); RETURN NULL; END $$;"
            "CREATE TRIGGER count_rewrites AFTER UPDATE OF " +
                std::string(kColumns) +
                " ON student FOR EACH ROW EXECUTE FUNCTION count_rewrite();";
  ASSERT_OK(d.WithWriter([&](db::Connection& c) -> Status { return c.ExecScript(sql); }));
}

TEST_P(ExchangeFlowTest, AChangedStudentRewritesOnlyTheColumnsThatChanged) {
  registry::Student a = Register(*province_students_, 1, kSchool1);
  OpenedBatch first = NextBatch(0);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, first));
  CountIndexRewrites(*national_, backend());
  auto change = [&](std::string_view set) {
    ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(c.Query("UPDATE student SET " + std::string(set) + " WHERE id = $1", {a.id}));
      const int64_t ids[] = {a.id};
      return db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, "2026-12-07T00:00:00Z");
    }));
  };

  change("class_no = '05'");
  OpenedBatch second = NextBatch(first.header.last);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, second));
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM rewrites"), 0);
  change("grade = 4");
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, NextBatch(second.header.last)));
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM rewrites"), 1);

  auto got = national_students_->Get(StudentViewer::Node(), a.student_number);
  ASSERT_OK(got);
  EXPECT_EQ(got->enrolment.class_no, "05");
  EXPECT_EQ(got->enrolment.grade, 4);
  EXPECT_EQ(got->name, a.name);
  EXPECT_EQ(got->id_number, a.id_number);
  EXPECT_EQ(got->guardian1.name, "王家长");
  EXPECT_EQ(got->version, 3);
}

TEST_P(ExchangeFlowTest, AStudentWrittenTwiceInOneCallEndsAsItsLastRecord) {
  registry::Student a = Register(*province_students_, 1, kSchool1);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, NextBatch(0)));
  auto record = province_students_->Get(StudentViewer::Node(), a.student_number);
  ASSERT_OK(record);
  std::vector<registry::Student> twice{*record, *record};
  twice[0].enrolment.class_no = "07";  // then back to the class it has
  ASSERT_OK(national_->WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(registry::WriteReplicaStudents(c, national_cipher_, twice, "440000",
                                             "2026-12-07T00:00:00Z"));
    return {};
  }));
  auto got = national_students_->Get(StudentViewer::Node(), a.student_number);
  ASSERT_OK(got);
  EXPECT_EQ(got->enrolment.class_no, record->enrolment.class_no);
  EXPECT_EQ(got->name, a.name);
}

TEST_P(ExchangeFlowTest, AStudentAnotherProvinceHoldsIsKeptAsAConflict) {
  // The same child (same citizen ID) already registered by another province's node.
  registry::Student elsewhere;
  {
    org::OrgStore orgs(*national_);
    AddSchool(orgs, "2111000001", "110101", "东城区第一小学");
    elsewhere = Register(*national_students_, 1, "2111000001");
  }
  registry::Student here = Register(*province_students_, 1, kSchool1);
  Register(*province_students_, 2, kSchool1);
  ASSERT_EQ(here.id_number, elsewhere.id_number);
  auto report = ApplyBatch(*national_, national_cipher_, NextBatch(0));
  ASSERT_OK(report);
  EXPECT_EQ(report->conflicts, 1);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 2);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM exchange_conflict WHERE state = 'open'"), 1);
  auto kept = national_students_->Get(StudentViewer::Node(), here.student_number);
  ASSERT_OK(kept);
  EXPECT_EQ(kept->enrolment.school_code, "2111000001");  // untouched
  // The conflict's copy of the record is sealed: no clear ID number in the table.
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM exchange_conflict WHERE record LIKE '%" +
                                  *here.id_number + "%'"),
            0);
}

// L → G at the source (registry/temporary_number_conversion.hpp): the student's next record
// carries its G number and the same document; the national node renumbers its copy (keeping
// the L number as the copy's former number) rather than keeping a conflict.
TEST_P(ExchangeFlowTest, AnLNumberConvertedAtTheSourceRenumbersItsCopy) {
  registry::Student l = Register(*province_students_, 1, kSchool1, /*temporary=*/true);
  ASSERT_EQ(l.number_kind, 'L');
  OpenedBatch first = NextBatch(0);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, first));
  ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query("UPDATE student SET population_check = 'match' WHERE id = $1", {l.id}));
    return {};
  }));
  registry::ConversionOptions options;
  options.now = "2026-12-06T08:00:00Z";
  auto converted = registry::ConvertTemporaryNumbers(db(), province_cipher_,
                                                     org::Scope::Everything(), {}, options);
  ASSERT_OK(converted);
  ASSERT_EQ(converted->converted, 1);

  auto report = ApplyBatch(*national_, national_cipher_, NextBatch(first.header.last));
  ASSERT_OK(report);
  EXPECT_EQ(report->conflicts, 0);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 1);
  auto copy = national_students_->Get(StudentViewer::Node(), "G" + *l.id_number);
  ASSERT_OK(copy);
  EXPECT_EQ(copy->number_kind, 'G');
  EXPECT_FALSE(national_students_->Get(StudentViewer::Node(), l.student_number).ok());
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student_former_number WHERE number_index = '" +
                                  registry::NumberIndex(national_cipher_, l.student_number) + "'"),
            1);
  ExpectNodesAgree();
}

// Only the source's own L copy is renumbered: a G student of one province never takes over
// another province's L registration of the same document (that is a conflict).
TEST_P(ExchangeFlowTest, AGNumberNeverTakesOverAnotherProvincesLCopy) {
  {
    org::OrgStore orgs(*national_);
    AddSchool(orgs, "2111000001", "110101", "东城区第一小学");
    Register(*national_students_, 1, "2111000001", /*temporary=*/true);
  }
  registry::Student here = Register(*province_students_, 1, kSchool1);
  auto report = ApplyBatch(*national_, national_cipher_, NextBatch(0));
  ASSERT_OK(report);
  EXPECT_EQ(report->conflicts, 1);
  EXPECT_FALSE(national_students_->Get(StudentViewer::Node(), here.student_number).ok());
}

// A province's node restored from an older backup: its log no longer holds (or holds other)
// changes at the national node's checkpoint. Its next batch is refused until an operator
// resets the checkpoint; then its whole log applies again and both nodes agree.
TEST_P(ExchangeFlowTest, ASourceRestoredFromAnOlderBackupIsNoticedAndResynchronised) {
  Register(*province_students_, 1, kSchool1);
  OpenedBatch early = NextBatch(0);
  Register(*province_students_, 2, kSchool1);
  OpenedBatch late = NextBatch(early.header.last);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, early));
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, late));
  // The backup was taken at `early`: what came after is lost, the sequence goes back.
  ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query("DELETE FROM change_log WHERE seq > $1", {early.header.last}));
    NEMIS_TRY(c.Query("UPDATE change_seq SET last = $1", {early.header.last}));
    return {};
  }));
  Register(*province_students_, 3, kSchool2);  // numbered again after `early`
  OpenedBatch next = NextBatch(Checkpoint());
  EXPECT_THAT(ApplyBatch(*national_, national_cipher_, next), IsErrorCode("source_diverged"));
  // More changes until the restored log passes the checkpoint: still refused, never skipped.
  for (int i = 4; i < 12; ++i) Register(*province_students_, i, kSchool2);
  SealChangeLog();
  next = NextBatch(Checkpoint());
  EXPECT_THAT(ApplyBatch(*national_, national_cipher_, next), IsErrorCode("source_diverged"));

  auto reset = ResetCheckpoint(*national_, "440000");
  ASSERT_OK(reset);
  EXPECT_TRUE(*reset);
  ASSERT_OK(ApplyBatch(*national_, national_cipher_, NextBatch(0)));
  auto digest = ExpectNodesAgree();
  ASSERT_TRUE(digest.has_value());
  EXPECT_EQ(digest->students, 11);
}

TEST_P(ExchangeFlowTest, ASourceWritesOnlyItsOwnProvince) {
  Register(*province_students_, 1, kSchool1);
  auto batch = ReadChanges(db(), province_cipher_, 0, 1000);
  ASSERT_OK(batch);
  // Guangdong's changes claimed by Beijing's node.
  std::string envelope = SealBatch(HeaderFor(*batch, "110000", "000000"), batch->payload,
                                   province_id_->key, national_id_->key.PublicKey());
  auto opened = OpenBatch(envelope, "000000", province_id_->key.PublicKey(), national_id_->key);
  ASSERT_OK(opened);
  EXPECT_THAT(ApplyBatch(*national_, national_cipher_, *opened),
              IsErrorCode("record_outside_source"));
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM exchange_checkpoint"), 0);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 0);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM org WHERE code = '" + kSchool1 + "'"), 0);
}

TEST_P(ExchangeFlowTest, TheLimitBoundsTheLogRowsOfABatch) {
  for (int i = 1; i <= 5; ++i) Register(*province_students_, i, kSchool1);
  SealChangeLog();
  auto all = ReadChanges(db(), province_cipher_, 0, 100000);
  ASSERT_OK(all);
  int64_t after = 0, batches = 0;
  while (after < all->last) {
    OpenedBatch b = NextBatch(after, 2);
    EXPECT_LE(b.header.last - b.header.after, 2);
    ASSERT_OK(ApplyBatch(*national_, national_cipher_, b));
    after = b.header.last;
    ++batches;
  }
  EXPECT_GE(batches, 3);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM student"), 5);
  EXPECT_THAT(ReadChanges(db(), province_cipher_, 0, 0), IsErrorCode("bad_parameter"));
  EXPECT_THAT(ReadChanges(db(), province_cipher_, -1, 10), IsErrorCode("bad_parameter"));
}

NEMIS_STORE_TEST_SUITE(ExchangeFlowTest);

}  // namespace
}  // namespace nemis::exchange
