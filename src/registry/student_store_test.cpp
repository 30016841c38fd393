#include "registry/student_store.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "audit/audit_query.hpp"
#include "codes/id_number.hpp"
#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "registry/personal_mask.hpp"
#include "registry/student_stats.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::registry {
namespace {

using F = StudentField;

std::string IdFor(const std::string& first17) { return first17 + codes::IdCheckCharacter(first17); }

// A student's fields as text, with stable storage for the input's views.
struct Draft {
  std::array<std::string, kStudentFieldCount> texts;
  StudentInput input;
  void Set(F f, std::string v) {
    texts[static_cast<size_t>(f)] = std::move(v);
    input.Set(f, texts[static_cast<size_t>(f)]);
  }
};

class StudentStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(db::Migrate(db()).ok());
    org::OrgStore orgs(db(), clock_);
    ASSERT_TRUE(orgs.SeedDivisions("440000").ok());
    AddSchool(orgs, "2144000001", "440106", "天河区第一小学", "211");
    AddSchool(orgs, "2144000002", "440106", "天河区第二小学", "211");
    AddSchool(orgs, "2144000003", "440105", "海珠区第一小学", "211");
    store_ = std::make_unique<StudentStore>(db(), cipher_, clock_);
  }

  void AddSchool(org::OrgStore& orgs, const std::string& code, const std::string& county,
                 const std::string& name, const std::string& type) {
    org::InstitutionInput in;
    in.code = code;
    in.parent_code = county;
    in.name = name;
    in.school_type = type;
    ASSERT_TRUE(orgs.Create(org::Scope::Everything(), in).ok());
  }

  // A grade-`grade` pupil of `school`; `seq` (0-499) makes the ID unique; even seq = girl.
  Draft Pupil(int seq, std::string school = "2144000001", int grade = 1,
              std::string class_no = "01") {
    Draft d;
    int year = 2019 - (grade - 1);
    // Born 15 March of `year`, sequence `seq`, zero-padded to three digits.
    const std::string first17 =
        "440106" + std::to_string(year) + "0315" + std::to_string(1000 + seq % 1000).substr(1);
    static const char* kGiven[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    d.Set(F::kName, std::string(seq % 3 == 0 ? "李" : "王") + "同学" + kGiven[seq % 10]);
    d.Set(F::kGender, seq % 2 ? "1" : "2");
    d.Set(F::kBirthDate, std::to_string(year) + "-03-15");
    d.Set(F::kEthnicity, "01");
    d.Set(F::kIdNumber, IdFor(first17));
    d.Set(F::kSchoolCode, std::move(school));
    d.Set(F::kGrade, std::to_string(grade));
    d.Set(F::kClassNo, std::move(class_no));
    d.Set(F::kEntryDate, std::to_string(year + 6) + "-09");
    d.Set(F::kGuardian1Name, "家长");
    d.Set(F::kGuardian1Relation, "1");
    return d;
  }

  Result<Student> Register(const Draft& d, const RegisterOptions& options = {}) {
    auto r = store_->Register(StudentViewer::Node(), d.input, options);
    if (!r.ok()) return std::move(r).error();
    return std::move(r->student);
  }

  int64_t Count(const std::string& sql) {
    SealChangeLog();
    auto n = db().Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
      return rs.rows.at(0).Int(0);
    });
    return n.ok() ? *n : -1;
  }

  // The node's own view of `scope` only.
  static StudentViewer NodeIn(org::Scope scope) {
    StudentViewer v = StudentViewer::Node();
    v.scope = v.sensitive = std::move(scope);
    return v;
  }

  org::Scope CountyScope(const std::string& code) {
    org::OrgStore orgs(db());
    return org::Scope::Of(*orgs.Get(org::Scope::Everything(), code));
  }

  FixedClock clock_{
      std::chrono::system_clock::time_point(std::chrono::seconds(1761955200))};  // 2025-11-01
  crypto::FieldCipher cipher_{crypto::FieldKeys::Generate(1)};
  std::unique_ptr<StudentStore> store_;
};

TEST_P(StudentStoreTest, RegistersWithAGNumberAndRefusesTheSamePersonTwice) {
  Draft d = Pupil(2);
  auto s = Register(d);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->student_number, "G" + d.texts[static_cast<size_t>(F::kIdNumber)]);
  EXPECT_EQ(s->version, 1);
  auto again = Register(Pupil(2, "2144000003"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(again.error().code, "duplicate_student");
  EXPECT_NE(again.error().message.find("天河区第一小学"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE entity = 'student'"), 1);
}

// Personal data is sealed at rest: no column of the row holds the ID, the G number, the
// phone or the address, yet lookups by number and by ID still find the student.
TEST_P(StudentStoreTest, KeepsNoPersonalDataInClearAndStillFindsTheStudent) {
  Draft d = Pupil(5);
  d.Set(F::kPhone, "13812345678");
  d.Set(F::kAddress, "广东省广州市天河区体育西路 1 号");
  d.Set(F::kGuardian1Phone, "13900001111");
  auto s = Register(d);
  ASSERT_TRUE(s.ok()) << s.error().message;
  const std::string id = d.texts[static_cast<size_t>(F::kIdNumber)];
  auto row = db().Read<std::string>([](db::Connection& c) -> Result<std::string> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT * FROM student"));
    std::string all;
    for (size_t i = 0; i < rs.rows.at(0).size(); ++i) all += rs.rows[0].Text(i) + "|";
    return all;
  });
  ASSERT_TRUE(row.ok()) << row.error().message;
  for (const std::string& secret : {id, id.substr(6, 8) + id.substr(14), std::string("13812345678"),
                                    std::string("体育西路"), std::string("13900001111")})
    EXPECT_EQ(row->find(secret), std::string::npos) << secret << " in " << *row;
  auto by_number = store_->Get(StudentViewer::Node(), "G" + id);
  ASSERT_TRUE(by_number.ok()) << by_number.error().message;
  EXPECT_EQ(*by_number->phone, "13812345678");
  EXPECT_EQ(*by_number->address, "广东省广州市天河区体育西路 1 号");
  EXPECT_EQ(*by_number->guardian1.phone, "13900001111");
  auto by_id = store_->Search(StudentViewer::Node(), {id, 10, ""});
  ASSERT_TRUE(by_id.ok());
  ASSERT_EQ(by_id->items.size(), 1u);
  EXPECT_EQ(by_id->items[0].student_number, "G" + id);
}

TEST_P(StudentStoreTest, IssuesJAndLNumbersFollowingTheIdRulesAndNeverReusesThem) {
  Draft no_id = Pupil(3);
  no_id.Set(F::kIdNumber, "");
  no_id.Set(F::kGuardian1IdNumber, IdFor("44010619880101001"));
  auto j1 = Register(no_id);
  ASSERT_TRUE(j1.ok()) << j1.error().message;
  auto j2 = Register(no_id);  // a second child without documents, same birthday
  ASSERT_TRUE(j2.ok());
  EXPECT_EQ(j1->number_kind, 'J');
  EXPECT_EQ(j1->student_number.size(), 19u);
  EXPECT_EQ(j1->student_number.substr(0, 15), "J44010620190315");
  EXPECT_NE(j1->student_number, j2->student_number);
  for (const auto& n : {j1->student_number, j2->student_number}) {
    EXPECT_EQ(codes::CheckIdNumber(n.substr(1), clock_.TodayInChina(), 1), codes::IdProblem::kNone)
        << n;
  }
  RegisterOptions temporary;
  temporary.temporary_number = true;
  auto l = Register(Pupil(4), temporary);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->number_kind, 'L');
  EXPECT_EQ(l->student_number[0], 'L');
  EXPECT_EQ(codes::CheckIdNumber(l->student_number.substr(1), clock_.TodayInChina(), 2),
            codes::IdProblem::kNone);
}

TEST_P(StudentStoreTest, AnIdempotencyKeyReplaysTheFirstAnswer) {
  RegisterOptions options{.idempotency_key = "k-1", .body_hash = "h1"};
  auto first = store_->Register(StudentViewer::Node(), Pupil(6).input, options);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->replayed);
  auto replay = store_->Register(StudentViewer::Node(), Pupil(6).input, options);
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  EXPECT_TRUE(replay->replayed);
  EXPECT_EQ(replay->student.student_number, first->student.student_number);
  options.body_hash = "h2";
  auto reused = store_->Register(StudentViewer::Node(), Pupil(8).input, options);
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().code, "idempotency_key_reused");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student"), 1);
}

// Another account's same key and body are a new request, not a replay of someone else's
// student; and a replay is a read: a student now outside the caller's scope is not found.
TEST_P(StudentStoreTest, AnIdempotencyKeyIsTheAccountsOwnAndItsReplayStaysInScope) {
  org::Scope tianhe = CountyScope("440106");
  RegisterOptions first_account{.idempotency_key = "k-1", .body_hash = "h1", .account_id = 1};
  auto first = store_->Register(NodeIn(tianhe), Pupil(7).input, first_account);
  ASSERT_TRUE(first.ok()) << first.error().message;
  RegisterOptions second_account = first_account;
  second_account.account_id = 2;
  auto other = store_->Register(NodeIn(CountyScope("440105")), Pupil(7).input, second_account);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().kind, ErrorKind::kInvalid)
      << other.error().message;  // 天河's school: not its scope
  auto same_scope = store_->Register(NodeIn(tianhe), Pupil(7).input, second_account);
  ASSERT_FALSE(same_scope.ok());
  EXPECT_EQ(same_scope.error().kind, ErrorKind::kConflict) << "validated as a new registration";
  auto replay = store_->Register(NodeIn(tianhe), Pupil(7).input, first_account);
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  EXPECT_TRUE(replay->replayed);
  auto out_of_scope =
      store_->Register(NodeIn(CountyScope("440105")), Pupil(7).input, first_account);
  ASSERT_FALSE(out_of_scope.ok());
  EXPECT_EQ(out_of_scope.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student"), 1);
}

// One person, one number: the holding school is named only to a caller whose scope covers it.
TEST_P(StudentStoreTest, ADuplicateNamesTheHoldingSchoolOnlyWithinTheCallersScope) {
  ASSERT_TRUE(Register(Pupil(9)).ok());  // 天河区第一小学
  auto inside = store_->Register(NodeIn(CountyScope("440106")), Pupil(9, "2144000002").input, {});
  ASSERT_FALSE(inside.ok());
  EXPECT_EQ(inside.error().code, "duplicate_student");
  EXPECT_NE(inside.error().message.find("天河区第一小学"), std::string::npos)
      << inside.error().message;
  auto outside = store_->Register(NodeIn(CountyScope("440105")), Pupil(9, "2144000003").input, {});
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(outside.error().code, "registered_elsewhere");
  ASSERT_EQ(outside.error().fields.size(), 1u);
  EXPECT_EQ(outside.error().fields[0].field, "idNumber");
  for (const std::string& text : {outside.error().message, outside.error().fields[0].message}) {
    EXPECT_EQ(text.find("天河"), std::string::npos) << text;
    EXPECT_EQ(text.find("2144000001"), std::string::npos) << text;
    EXPECT_NE(text.find("其他学校"), std::string::npos) << text;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student"), 1);
}

TEST_P(StudentStoreTest, GetAndSearchStayInsideTheCallersScope) {
  auto a = Register(Pupil(10));
  auto b = Register(Pupil(12, "2144000003"));
  ASSERT_TRUE(a.ok() && b.ok());
  org::Scope tianhe = CountyScope("440106");
  EXPECT_TRUE(store_->Get(NodeIn(tianhe), a->student_number).ok());
  EXPECT_EQ(store_->Get(NodeIn(tianhe), b->student_number).error().kind, ErrorKind::kNotFound);
  auto by_number = store_->Search(NodeIn(tianhe), {b->student_number, 50, ""});
  ASSERT_TRUE(by_number.ok());
  EXPECT_TRUE(by_number->items.empty());
  auto by_id = store_->Search(StudentViewer::Node(), {a->id_number->substr(0, 17) + "x", 50, ""});
  ASSERT_TRUE(by_id.ok());
  if (a->id_number->back() == 'X') {
    ASSERT_EQ(by_id->items.size(), 1u);
  }
  auto by_name = store_->Search(StudentViewer::Node(), {"李同", 50, ""});
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(by_name->items.size(), 1u);  // seq 12 -> 李; seq 10 -> 王
}

// Every answer leaves the registry masked for its reader (student_viewer.hpp): whole at
// the schools of its student.view_sensitive scope, audited; masked everywhere else.
TEST_P(StudentStoreTest, AnswersAreMaskedForTheReaderAndWholeOnesAudited) {
  Draft own = Pupil(20);
  own.Set(F::kPhone, "13812345678");
  auto a = Register(own);
  auto b = Register(Pupil(22, "2144000002"));
  ASSERT_TRUE(a.ok() && b.ok());
  StudentViewer clerk;
  clerk.scope = CountyScope("440106");
  clerk.sensitive = CountyScope("2144000001");
  clerk.reader.account = "clerk";
  clerk.method = "GET";
  auto whole = store_->Get(clerk, a->student_number);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->personal_view, PersonalView::kWhole);
  EXPECT_EQ(*whole->phone, "13812345678");
  EXPECT_EQ(whole->student_number, a->student_number);
  StudentListQuery second_school;
  second_school.school_code = "2144000002";
  auto page = store_->List(clerk, second_school);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].personal_view, PersonalView::kMasked);
  EXPECT_EQ(*page->items[0].id_number, MaskDocumentNumber(*b->id_number));
  StudentInput change;
  change.Set(F::kClassNo, "03");
  auto updated =
      store_->Update(StudentViewer::Masked(clerk.scope), a->student_number, change, {1, {}});
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->student_number, MaskStudentNumber(a->student_number));
  EXPECT_EQ(*updated->phone, "138****5678");
  auto registered = store_->Register(StudentViewer::Masked(clerk.scope), Pupil(24).input, {});
  ASSERT_TRUE(registered.ok());
  EXPECT_EQ(registered->student.personal_view, PersonalView::kMasked);
  EXPECT_NE(registered->student.id_number->find('*'), std::string::npos);
  // One disclosure only: the Get of the clerk's own pupil.
  audit::AuditFilter disclosures;
  disclosures.action = std::string(kSensitiveReadAction);
  auto entries = audit::Query(db(), disclosures);  // seals PostgreSQL's pending entries first
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->records.size(), 1u);
  EXPECT_EQ(entries->records[0].entry.account, "clerk");
}

// A school's list narrowed to registry flags: each flag set (left behind by one or both
// parents alike), several meaning all of them; an unknown flag is refused, naming it.
TEST_P(StudentStoreTest, ListsNarrowToRegistryFlags) {
  Draft one_parent = Pupil(30), both_parents = Pupil(32), orphan = Pupil(34), none = Pupil(36);
  one_parent.Set(F::kLeftBehind, "1");
  both_parents.Set(F::kLeftBehind, "2");
  both_parents.Set(F::kOrphan, "1");
  orphan.Set(F::kOrphan, "1");
  orphan.Set(F::kDisabilityType, "4");
  none.Set(F::kLeftBehind, "0");
  for (const Draft* d : {&one_parent, &both_parents, &orphan, &none}) ASSERT_OK(Register(*d));
  auto names = [&](std::vector<std::string> flags) {
    StudentListQuery q;
    q.school_code = "2144000001";
    q.flags = std::move(flags);
    auto page = store_->List(StudentViewer::Node(), q);
    EXPECT_TRUE(page.ok()) << page.error().message;
    std::multiset<std::string> out;
    if (page.ok())
      for (const auto& s : page->items) out.insert(*s.id_number);
    return out;
  };
  auto id = [](const Draft& d) { return d.texts[static_cast<size_t>(F::kIdNumber)]; };
  EXPECT_EQ(names({"leftBehind"}), (std::multiset{id(one_parent), id(both_parents)}));
  EXPECT_EQ(names({"orphan"}), (std::multiset{id(both_parents), id(orphan)}));
  EXPECT_EQ(names({"leftBehind", "orphan"}), (std::multiset{id(both_parents)}));
  EXPECT_EQ(names({"disabled"}), (std::multiset{id(orphan)}));
  EXPECT_EQ(names({}).size(), 4u);
  StudentListQuery bad;
  bad.school_code = "2144000001";
  bad.flags = {"rich"};
  auto refused = store_->List(StudentViewer::Node(), bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "bad_parameter");
  EXPECT_NE(refused.error().message.find("rich"), std::string::npos);
}

TEST_P(StudentStoreTest, UpdatesNeedTheCurrentVersionAndRefuseIdentityChanges) {
  auto s = Register(Pupil(14));
  ASSERT_TRUE(s.ok());
  StudentInput change;
  change.Set(F::kClassNo, "05");
  change.Set(F::kLeftBehind, "2");
  auto updated = store_->Update(StudentViewer::Node(), s->student_number, change, {1, {}});
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->enrolment.class_no, "05");
  EXPECT_EQ(updated->left_behind, 2);
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(store_->Update(StudentViewer::Node(), s->student_number, change, {1, {}}).error().kind,
            ErrorKind::kPreconditionFailed);
  StudentInput rename;
  rename.Set(F::kName, "新名字");
  auto refused = store_->Update(StudentViewer::Node(), s->student_number, rename, {2, {}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at(0).code, "requires_approval");
  StudentInput bad;
  bad.Set(F::kGrade, "9");
  EXPECT_EQ(store_->Update(StudentViewer::Node(), s->student_number, bad, {2, {}})
                .error()
                .fields.at(0)
                .code,
            "grade_not_in_stage");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE entity = 'student' AND op = 'U'"), 1);
}

TEST_P(StudentStoreTest, ListsAClassInPagesThatVisitEveryStudentOnceInOrder) {
  std::set<std::string> registered;
  for (int i = 0; i < 23; ++i) {
    auto s = Register(Pupil(100 + i, "2144000001", 1 + i % 3, i % 2 ? "01" : "02"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    registered.insert(s->student_number);
  }
  std::vector<Student> seen;
  StudentListQuery q;
  q.school_code = "2144000001";
  q.limit = 5;
  for (int page = 0; page < 10; ++page) {
    auto p = store_->List(StudentViewer::Node(), q);
    ASSERT_TRUE(p.ok()) << p.error().message;
    seen.insert(seen.end(), p->items.begin(), p->items.end());
    if (!p->next) break;
    q.after = *p->next;
  }
  ASSERT_EQ(seen.size(), 23u);
  std::set<std::string> numbers;
  for (size_t i = 0; i < seen.size(); ++i) {
    numbers.insert(seen[i].student_number);
    if (i == 0) continue;
    auto key = [](const Student& s) {
      return std::make_tuple(s.enrolment.grade, s.enrolment.class_no, s.id);
    };
    EXPECT_LT(key(seen[i - 1]), key(seen[i]));
  }
  EXPECT_EQ(numbers, registered);
  StudentListQuery second_grade;
  second_grade.school_code = "2144000001";
  second_grade.grade = 2;
  second_grade.limit = 100;
  auto grade2 = store_->List(StudentViewer::Node(), second_grade);
  ASSERT_TRUE(grade2.ok());
  EXPECT_EQ(grade2->items.size(), 8u);
  StudentListQuery bad_cursor;
  bad_cursor.school_code = "2144000001";
  bad_cursor.after = "zz";
  EXPECT_EQ(store_->List(StudentViewer::Node(), bad_cursor).error().kind, ErrorKind::kBadRequest);
}

TEST_P(StudentStoreTest, StatisticsAtEachLevelEqualTheSumOfTheirRows) {
  for (int i = 0; i < 12; ++i)
    ASSERT_TRUE(
        Register(Pupil(200 + i, i < 8 ? "2144000001" : "2144000003", 1 + (i / 2) % 2)).ok());
  StatsQuery q{"", {StatsDimension::kGrade, StatsDimension::kGender}, false};
  auto all = CountStudents(db(), org::Scope::Everything(), q);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total, 12);
  ASSERT_EQ(all->rows.size(), 4u);
  EXPECT_EQ(std::get<int64_t>(all->rows[0].keys[0]), 1);
  EXPECT_EQ(std::get<int64_t>(all->rows[0].keys[1]), 1);
  EXPECT_EQ(all->rows[0].count, 3);
  auto by_county =
      CountStudents(db(), org::Scope::Everything(), {"440100", {StatsDimension::kOrg}, false});
  ASSERT_TRUE(by_county.ok());
  ASSERT_EQ(by_county->rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(by_county->rows[0].keys[0]), "440105");
  EXPECT_EQ(by_county->rows[0].count, 4);
  EXPECT_EQ(std::get<std::string>(by_county->rows[1].keys[0]), "440106");
  EXPECT_EQ(by_county->rows[1].count, 8);
  auto school = CountStudents(db(), org::Scope::Everything(), {"2144000003", {}, false});
  EXPECT_EQ(school->total, 4);
  EXPECT_EQ(CountStudents(db(), CountyScope("440106"), {"2144000003", {}, false}).error().kind,
            ErrorKind::kNotFound);
}

TEST_P(StudentStoreTest, ConcurrentRegistrationsAllLandWithAGaplessChangeSequence) {
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i)
        if (!Register(Pupil(300 + t * kEach + i, "2144000002")).ok()) ++failures;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student"), kThreads * kEach);
  int64_t changes = Count("SELECT COUNT(*) FROM change_log");
  EXPECT_EQ(Count("SELECT MAX(seq) FROM change_log"), changes);
  EXPECT_EQ(Count("SELECT MIN(seq) FROM change_log"), 1);
}

NEMIS_STORE_TEST_SUITE(StudentStoreTest);

}  // namespace
}  // namespace nemis::registry
