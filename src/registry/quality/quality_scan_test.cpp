// The record-quality scan on both stores: every kind found on hand-built students
// (registered through the registry, then bent behind its back where the registry would
// refuse), no false positive on twins or on the same name with another birth date, the
// backfill of rows older than migration 12, a rescan that keeps a decision, retires what
// is gone and reopens what comes back, and a subtree scan that leaves pairs across its
// border alone.
#include "registry/quality/quality_scan.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <tuple>

#include "codes/id_number.hpp"
#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "registry/quality/population_verdicts.hpp"
#include "registry/registry_case_testing.hpp"
#include "registry/student_store.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::registry::quality {
namespace {

using case_testing::Draft;
using F = StudentField;

// 天河区 (440106): two primary schools; 荔湾区 (440103): one.
const std::string kTianhe1 = "2144000001", kTianhe2 = "2144000002", kLiwan = "2144000003";

// A grade-1 boy born 2019-03-15 with an ID and a guardian of his own, unless told otherwise.
struct Person {
  explicit Person(std::string n) : name(std::move(n)) {}
  Person& Born(std::string day) { return birth = std::move(day), *this; }
  Person& Girl() { return gender = 2, *this; }
  Person& NoId() { return has_id = false, *this; }
  Person& Guardian(std::string id) { return guardian_id = std::move(id), *this; }

  std::string name;
  std::string birth = "2019-03-15";
  int gender = 1;
  bool has_id = true;
  std::string guardian_id;  // empty: one of the student's own
  int grade = 1;
};

class QualityScanTest : public nemis::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db::Migrate(db()));
    org::OrgStore orgs(db(), clock_);
    ASSERT_OK(orgs.SeedDivisions("440000"));
    AddSchool(orgs, kTianhe1, "440106", "天河区第一小学");
    AddSchool(orgs, kTianhe2, "440106", "天河区第二小学");
    AddSchool(orgs, kLiwan, "440103", "荔湾区第一小学");
    students_ = std::make_unique<StudentStore>(db(), cipher_, clock_);
  }

  static void AddSchool(org::OrgStore& orgs, const std::string& code, const std::string& county,
                        const std::string& name) {
    org::InstitutionInput in;
    in.code = code;
    in.parent_code = county;
    in.name = name;
    in.school_type = "211";
    ASSERT_OK(orgs.Create(org::Scope::Everything(), in));
  }

  // A valid citizen ID for the birth date and gender, distinct per call.
  std::string CitizenId(const std::string& birth, int gender) {
    std::string digits = birth.substr(0, 4) + birth.substr(5, 2) + birth.substr(8, 2);
    int seq = 100 + 2 * serial_++ + (gender == 1 ? 1 : 0);
    std::string first17 = "440106" + digits + std::to_string(seq);
    return first17 + codes::IdCheckCharacter(first17);
  }

  Student Enrol(const Person& p, const std::string& school) {
    Draft d;
    d.Set(F::kName, p.name);
    d.Set(F::kGender, std::to_string(p.gender));
    d.Set(F::kBirthDate, p.birth);
    d.Set(F::kEthnicity, "01");
    if (p.has_id) d.Set(F::kIdNumber, CitizenId(p.birth, p.gender));
    d.Set(F::kSchoolCode, school);
    d.Set(F::kGrade, std::to_string(p.grade));
    d.Set(F::kClassNo, "01");
    d.Set(F::kEntryDate, "2026-09");
    d.Set(F::kGuardian1Name, p.name.substr(0, 3) + "家长");
    d.Set(F::kGuardian1Relation, "1");
    d.Set(F::kGuardian1IdNumber,
          p.guardian_id.empty() ? CitizenId("1990-01-01", 1) : p.guardian_id);
    auto r = students_->Register(StudentViewer::Node(), d.input, {});
    EXPECT_OK(r);
    return r.ok() ? r->student : Student{};
  }

  int64_t Sql(const std::string& sql, std::initializer_list<db::Param> params = {}) {
    std::vector<db::Param> values(params);
    int64_t affected = -1;
    EXPECT_OK(db().WithWriter([&](db::Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, values));
      affected = rs.affected;
      return {};
    }));
    return affected;
  }

  ScanReport Scan(const org::Scope& where = org::Scope::Everything(),
                  int threshold = kDefaultDuplicateThreshold) {
    ScanOptions options;
    options.where = where;
    options.duplicate_threshold = threshold;
    options.batch_ids = 3;  // several ranges even on a handful of students
    auto r = ScanRecords(db(), cipher_, clock_, options);
    EXPECT_OK(r);
    return r.ok() ? *r : ScanReport{};
  }

  // (kind, student, other, state) of every stored finding.
  using Stored = std::tuple<std::string, int64_t, int64_t, std::string>;
  std::set<Stored> StoredFindings() {
    auto rs = db().Read<db::ResultSet>([](db::Connection& c) {
      return c.Query("SELECT kind, student_id, other_id, state FROM problem_record");
    });
    EXPECT_OK(rs);
    std::set<Stored> out;
    if (rs.ok())
      for (const auto& r : rs->rows) out.emplace(r.Text(0), r.Int(1), r.Int(2), r.Text(3));
    return out;
  }

  static Stored Pair(std::string kind, const Student& a, const Student& b,
                     std::string state = "open") {
    return {std::move(kind), std::min(a.id, b.id), std::max(a.id, b.id), std::move(state)};
  }
  static Stored One(std::string kind, const Student& a, std::string state = "open") {
    return {std::move(kind), a.id, 0, std::move(state)};
  }

  org::Scope ScopeOf(const std::string& code) {
    auto inst = org::OrgStore(db(), clock_).Get(org::Scope::Everything(), code);
    EXPECT_OK(inst);
    return inst.ok() ? org::Scope::Of(*inst) : org::Scope();
  }

  FixedClock clock_{*ParseUtc("2026-11-01T02:00:00.000Z")};
  crypto::FieldCipher cipher_{crypto::FieldKeys::Generate(1)};
  std::unique_ptr<StudentStore> students_;
  int serial_ = 0;
};

TEST_P(QualityScanTest, FindsEachPairKindAndNoCleanPair) {
  Student a1 = Enrol(Person("张小明"), kTianhe1);
  Student a2 = Enrol(Person("张小明"), kLiwan);  // same person, two schools
  const std::string parent = CitizenId("1988-05-05", 2);
  Student b1 = Enrol(Person("李小红").Girl().Guardian(parent), kTianhe1);
  Student b2 = Enrol(Person("李晓红").Girl().Guardian(parent), kTianhe2);
  const std::string mother = CitizenId("1987-06-06", 2);
  Student c1 = Enrol(Person("王芳").Born("2019-04-01").Girl().Guardian(mother), kTianhe1);
  Student c2 = Enrol(Person("王芳").Born("2019-04-11").Girl().Guardian(mother), kLiwan);
  Student d1 = Enrol(Person("赵一鸣").NoId(), kTianhe1);
  Student d2 = Enrol(Person("赵一鸣").NoId(), kTianhe2);
  // Clean: twins of one family in one school; the same name born a day apart.
  const std::string father = CitizenId("1985-07-07", 1);
  Enrol(Person("陈思远").Born("2019-05-05").Guardian(father), kTianhe1);
  Enrol(Person("陈思齐").Born("2019-05-05").Guardian(father), kTianhe1);
  Enrol(Person("赵磊").Born("2019-01-01"), kTianhe1);
  Enrol(Person("赵磊").Born("2019-01-02"), kLiwan);

  ScanReport report = Scan();
  EXPECT_EQ(report.students, 12);
  EXPECT_EQ(
      StoredFindings(),
      (std::set<Stored>{Pair("same_name_birth", a1, a2), Pair("similar_name", b1, b2),
                        Pair("same_guardian_name", c1, c2), Pair("no_id_same_person", d1, d2)}));
  EXPECT_EQ(report.kinds[ProblemKind::kSimilarName], 1);
  EXPECT_EQ(report.schools[kLiwan][ProblemKind::kSameNameBirth], 1);
  EXPECT_EQ(report.schools[kTianhe1][ProblemKind::kSameNameBirth], 1);
  EXPECT_EQ(report.saved.added, 4);
}

TEST_P(QualityScanTest, FindsEachProblemRecordKind) {
  Student clean = Enrol(Person("周杰"), kTianhe1);
  Student copied = Enrol(Person("吴刚"), kTianhe1);
  Student id_off = Enrol(Person("郑爽").Girl(), kTianhe1);
  Student old_j = Enrol(Person("钱多").NoId(), kTianhe1);
  Student no_gid = Enrol(Person("孙悟").NoId(), kTianhe1);
  Student no_g = Enrol(Person("李白"), kTianhe1);
  Student old = Enrol(Person("杜甫").Born("2016-03-15"), kTianhe1);  // 10 in grade 1
  Student late = Enrol(Person("王维"), kTianhe1);
  // Behind the registry's back, as old data or another system leaves it.
  Sql("UPDATE student SET id_type = '2', id_index = (SELECT id_index FROM student WHERE id = $1) "
      "WHERE id = $2",
      {clean.id, copied.id});
  // A birth date corrected without the ID (a row from before migration 12: backfilled).
  Sql("UPDATE student SET birth_date = '2019-03-16', id_check = NULL WHERE id = $1", {id_off.id});
  Sql("UPDATE student SET created_at = '2025-10-31T01:00:00.000Z' WHERE id = $1", {old_j.id});
  Sql("UPDATE student SET g1_index = NULL WHERE id = $1", {no_gid.id});
  Sql("UPDATE student SET g1_name = NULL, g1_relation = NULL WHERE id = $1", {no_g.id});
  Sql("INSERT INTO wf_case (type, subject, status, step, waiting_org, waiting_permission, "
      "version, opened_by, parties, details, opened_at, updated_at, step_started_on, due_on) "
      "SELECT 'status.11', 'student:' || number_index, 'open', 0, $1, 'student.update', 1, "
      "'t', '{}', '{}', '2026-10-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z', '2026-10-01', "
      "'2026-10-31' FROM student WHERE id = $2",
      {kTianhe1, late.id});

  ScanReport report = Scan();
  EXPECT_EQ(report.backfilled, 1);
  auto case_id = db().Read<int64_t>([](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT MAX(id) FROM wf_case"));
    return rs.rows.at(0).Int(0);
  });
  ASSERT_OK(case_id);
  EXPECT_EQ(StoredFindings(),
            (std::set<Stored>{Pair("same_id_number", clean, copied), One("id_mismatch", id_off),
                              One("temp_number_overdue", old_j), One("guardian_id_missing", no_gid),
                              One("no_guardian", no_g), One("age_off_grade", old),
                              One("overdue_case", late)}));
  auto details = db().Read<db::ResultSet>([&](db::Connection& c) {
    return c.Query(
        "SELECT details, case_id FROM problem_record WHERE kind IN ('id_mismatch', "
        "'overdue_case') ORDER BY kind");
  });
  ASSERT_OK(details);
  EXPECT_EQ(details->rows[0].Text(0),
            R"({"invalid":false,"birthDiffers":true,"genderDiffers":false})");
  EXPECT_EQ(details->rows[1].Int(1), *case_id);
}

TEST_P(QualityScanTest, RescanKeepsDecisionsRetiresWhatIsGoneAndReopens) {
  Student a1 = Enrol(Person("张小明"), kTianhe1);
  Student a2 = Enrol(Person("张小明"), kLiwan);
  Student b1 = Enrol(Person("刘洋").Girl(), kTianhe1);
  Student b2 = Enrol(Person("刘洋").Girl(), kTianhe2);
  Scan();
  // A reviewer decides the first pair is two children (not_duplicate).
  EXPECT_EQ(Sql("UPDATE problem_record SET state = 'resolved', resolution = 'not_duplicate', "
                "resolved_by = 'county.reviewer', resolved_at = '2026-11-01T03:00:00.000Z' "
                "WHERE student_id = $1 AND other_id = $2",
                {std::min(a1.id, a2.id), std::max(a1.id, a2.id)}),
            1);
  // The second pair goes away: one record's name is corrected.
  Sql("UPDATE student SET name = '刘阳光' WHERE id = $1", {b2.id});
  clock_.Set(*ParseUtc("2026-11-02T02:00:00.000Z"));
  ScanReport again = Scan();
  EXPECT_EQ(again.saved.gone, 1);
  EXPECT_EQ(again.saved.added, 0);
  EXPECT_EQ(StoredFindings(), (std::set<Stored>{Pair("same_name_birth", a1, a2, "resolved"),
                                                Pair("same_name_birth", b1, b2, "gone")}));
  Sql("UPDATE student SET name = '刘洋' WHERE id = $1", {b2.id});
  clock_.Set(*ParseUtc("2026-11-03T02:00:00.000Z"));
  Scan();
  EXPECT_EQ(StoredFindings(), (std::set<Stored>{Pair("same_name_birth", a1, a2, "resolved"),
                                                Pair("same_name_birth", b1, b2, "open")}));
  auto kept = db().Read<db::ResultSet>([](db::Connection& c) {
    return c.Query(
        "SELECT resolution, resolved_by, first_seen, last_seen FROM problem_record "
        "WHERE state = 'resolved'");
  });
  ASSERT_OK(kept);
  EXPECT_EQ(kept->rows.at(0).Text(0), "not_duplicate");
  EXPECT_EQ(kept->rows.at(0).Text(1), "county.reviewer");
  EXPECT_EQ(kept->rows.at(0).Text(2), "2026-11-01T02:00:00.000Z");
  EXPECT_EQ(kept->rows.at(0).Text(3), "2026-11-03T02:00:00.000Z");
}

TEST_P(QualityScanTest, SubtreeScanLeavesPairsAcrossItsBorderAlone) {
  Student a1 = Enrol(Person("张小明"), kTianhe1);
  Student a2 = Enrol(Person("张小明"), kLiwan);
  Student b1 = Enrol(Person("刘洋").Girl(), kTianhe1);
  Student b2 = Enrol(Person("刘洋").Girl(), kTianhe2);
  Scan();
  Sql("UPDATE student SET name = '张晓明明' WHERE id = $1", {a2.id});
  clock_.Set(*ParseUtc("2026-11-02T02:00:00.000Z"));
  ScanReport tianhe = Scan(ScopeOf("440106"));
  EXPECT_EQ(tianhe.students, 3);
  // The pair across the county border is not the county scan's to retire.
  EXPECT_EQ(StoredFindings(), (std::set<Stored>{Pair("same_name_birth", a1, a2, "open"),
                                                Pair("same_name_birth", b1, b2, "open")}));
  clock_.Set(*ParseUtc("2026-11-03T02:00:00.000Z"));
  Scan();
  EXPECT_EQ(StoredFindings(), (std::set<Stored>{Pair("same_name_birth", a1, a2, "gone"),
                                                Pair("same_name_birth", b1, b2, "open")}));
}

TEST_P(QualityScanTest, RefusesAThresholdOutOfRange) {
  ScanOptions options;
  options.where = org::Scope::Everything();
  options.duplicate_threshold = 101;
  EXPECT_THAT(ScanRecords(db(), cipher_, clock_, options),
              nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(StoredFindings(), std::set<Stored>{});
}

// --- The population register's verdicts (人口信息比对) --------------------------------------

TEST_P(QualityScanTest, PopulationVerdictsBecomeProblemRecordsUntilAMatch) {
  Student unknown = Enrol(Person("陈晨"), kTianhe1);
  Student renamed_here = Enrol(Person("林琳").Girl(), kTianhe1);
  Student agrees = Enrol(Person("黄河"), kTianhe2);
  Student renamed = Enrol(Person("何平"), kLiwan);
  Sql("UPDATE student SET name = '何萍' WHERE id = $1", {renamed.id});  // corrected since sent
  std::string file = "\xEF\xBB\xBF身份证件号,姓名,核查结果\r\n" + *unknown.id_number +
                     ",陈晨,查无此人\r\n" + *renamed_here.id_number + ",林琳,姓名不符\r\n" +
                     *agrees.id_number + ",黄河,一致\r\n" + *renamed.id_number +
                     ",何平,查无此人\r\n" + CitizenId("2019-03-15", 1) + ",某某,查无此人\r\n";
  std::istringstream dry(file);
  auto counted = ApplyPopulationVerdicts(db(), cipher_, dry, "2026-11-01", true);
  ASSERT_OK(counted);
  EXPECT_EQ(counted->unknown, 1);
  EXPECT_EQ(Scan().kinds.count(ProblemKind::kPopulationCheck), 0u);  // a dry run keeps nothing

  std::istringstream in(file);
  auto kept = ApplyPopulationVerdicts(db(), cipher_, in, "2026-11-01", false);
  ASSERT_OK(kept);
  EXPECT_TRUE(kept->errors.empty());
  EXPECT_EQ(kept->rows, 5);
  EXPECT_EQ(kept->unknown, 1);
  EXPECT_EQ(kept->name_mismatch, 1);
  EXPECT_EQ(kept->match, 1);
  EXPECT_EQ(kept->renamed, 1);
  EXPECT_EQ(kept->not_registered, 1);
  Scan();
  EXPECT_EQ(StoredFindings(), (std::set<Stored>{One("population_check", unknown),
                                                One("population_check", renamed_here)}));
  auto details = db().Read<db::ResultSet>([&](db::Connection& c) {
    return c.Query("SELECT details FROM problem_record WHERE student_id = $1", {unknown.id});
  });
  ASSERT_OK(details);
  EXPECT_EQ(details->rows.at(0).Text(0), R"({"verdict":"unknown","checkedOn":"2026-11-01"})");

  // Checked again after a correction: 一致. The next scan retires the finding.
  std::istringstream later("idNumber,name,verdict\n" + *renamed_here.id_number + ",林琳,match\n");
  ASSERT_OK(ApplyPopulationVerdicts(db(), cipher_, later, "2026-11-20", false));
  clock_.Set(*ParseUtc("2026-11-20T02:00:00.000Z"));
  Scan();
  EXPECT_EQ(StoredFindings(), (std::set<Stored>{One("population_check", unknown),
                                                One("population_check", renamed_here, "gone")}));
}

TEST_P(QualityScanTest, AVerdictFileWithABadRowKeepsNothingAndNamesTheLines) {
  Student s = Enrol(Person("陈晨"), kTianhe1);
  std::istringstream in("身份证件号,姓名,核查结果\n" + *s.id_number + ",陈晨,查无此人\n" +
                        "12345,陈晨,查无此人\n" + *s.id_number + ",,不详\n");
  auto report = ApplyPopulationVerdicts(db(), cipher_, in, "2026-11-01", false);
  ASSERT_OK(report);
  std::vector<std::pair<uint64_t, std::string>> errors;
  for (const auto& e : report->errors) errors.emplace_back(e.line, e.code);
  EXPECT_EQ(errors, (std::vector<std::pair<uint64_t, std::string>>{
                        {3, "bad_id_number"}, {4, "required"}, {4, "bad_verdict"}}));
  Scan();
  EXPECT_EQ(StoredFindings(), std::set<Stored>{});

  std::istringstream headless("证件号,姓名\n");
  auto missing = ApplyPopulationVerdicts(db(), cipher_, headless, "2026-11-01", false);
  ASSERT_OK(missing);
  ASSERT_EQ(missing->errors.size(), 2u);
  EXPECT_EQ(missing->errors[0].code, "missing_column");
  EXPECT_EQ(missing->errors[0].column, "身份证件号");
  EXPECT_EQ(missing->errors[1].column, "核查结果");
}

NEMIS_STORE_TEST_SUITE(QualityScanTest);

}  // namespace
}  // namespace nemis::registry::quality
