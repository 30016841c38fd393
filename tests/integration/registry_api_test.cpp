// B. Registry behaviour through HTTP: student numbers (G, J, L; one person one
// number, never reused), idempotent creates, optimistic updates, listing with keyset
// pagination, search, and statistics checked against counts computed from the
// generated roster itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include "base/date.hpp"
#include "fixture.hpp"
#include "http/url.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

class RegistryApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    SeedRoster();
    StartServer();
  }

  HttpResponse Register(const json& body, const Headers& headers = {}) {
    return http().PostJson("/api/v1/students", body, headers);
  }

  // A body for a student without any identity document: a guardian's ID instead.
  json WithoutId(const std::string& name, const std::string& birth, int gender) {
    IdSource::Person p{"", birth, gender};
    json body = StudentBody(PrimarySchool(), name, p, 3, "1");
    body.erase("idNumber");
    body["guardian1IdNumber"] = guardians_.Next(1).id_number;
    return body;
  }

  const Csv& roster() { return SeedRoster().students; }

  // The primary school's registrar: the caller that sees its students' IDs, G numbers
  // and addresses whole (http() is the national registrar, who sees them masked).
  HttpClient& registrar() {
    if (!registrar_) registrar_.emplace(SchoolRegistrarClient(PrimarySchool().code));
    return *registrar_;
  }

  IdSource ids_{"110101", 2015};
  IdSource guardians_{"110102", 1985};
  std::optional<HttpClient> registrar_;
};

TEST_P(RegistryApiTest, RegistrationWithACitizenIdGivesTheGNumber) {
  IdSource::Person p = ids_.Next(2);
  HttpResponse r =
      registrar().PostJson("/api/v1/students", StudentBody(PrimarySchool(), "李𠮷", p, 3, "1"));
  ASSERT_EQ(r.status, 201) << r.Describe();
  json s = r.Json();
  EXPECT_EQ(s["studentNumber"], "G" + p.id_number);
  EXPECT_EQ(s["numberKind"], "G");
  EXPECT_EQ(s["name"], "李𠮷");  // outside the BMP, stored and returned intact
  EXPECT_EQ(s["gender"], 2);
  EXPECT_EQ(s["birthDate"], p.birth_date);
  EXPECT_EQ(s["stage"], "primary");
  EXPECT_EQ(s["status"], "01");
  HttpResponse get = http().Get("/api/v1/students/G" + p.id_number);
  ASSERT_EQ(get.status, 200) << get.Describe();
  EXPECT_EQ(get.Json()["name"], "李𠮷");
  EXPECT_EQ(get.Json()["studentNumber"],
            MaskedStudentNumber("G" + p.id_number));  // to the national registrar
}

TEST_P(RegistryApiTest, StudentWithoutIdGetsAJNumberFollowingTheIdRules) {
  HttpResponse r = Register(WithoutId("阿卜杜拉·买买提", "2016-03-05", 1));
  ASSERT_EQ(r.status, 201) << r.Describe();
  std::string number = r.Json().value("studentNumber", "");
  ASSERT_EQ(number.size(), 19u) << number;
  EXPECT_EQ(number[0], 'J');
  EXPECT_EQ(r.Json()["numberKind"], "J");
  EXPECT_TRUE(FollowsIdRules(number.substr(1))) << number;
  // Region of the school, the student's birth date, an odd sequence for a boy.
  EXPECT_EQ(number.substr(1, 6), PrimarySchool().division) << number;
  EXPECT_EQ(number.substr(7, 8), "20160305") << number;
  EXPECT_EQ((number[17] - '0') % 2, 1) << number;
  EXPECT_TRUE(r.Json()["idNumber"].is_null());
  EXPECT_EQ(r.Json()["name"], "阿卜杜拉·买买提");
  EXPECT_EQ(http().Get("/api/v1/students/" + number).status, 200);

  HttpResponse girl = Register(WithoutId("古丽", "2016-03-05", 2));
  ASSERT_EQ(girl.status, 201) << girl.Describe();
  std::string girl_number = girl.Json().value("studentNumber", "");
  EXPECT_TRUE(FollowsIdRules(girl_number.substr(1))) << girl_number;
  EXPECT_EQ((girl_number[17] - '0') % 2, 0) << girl_number;
}

TEST_P(RegistryApiTest, TemporaryNumberGivesAnLNumber) {
  IdSource::Person p = ids_.Next(1);
  json body = StudentBody(PrimarySchool(), "王小明", p, 3, "1");
  body["temporaryNumber"] = true;
  HttpResponse r = Register(body);
  ASSERT_EQ(r.status, 201) << r.Describe();
  std::string number = r.Json().value("studentNumber", "");
  ASSERT_EQ(number.size(), 19u) << number;
  EXPECT_EQ(number[0], 'L');
  EXPECT_EQ(r.Json()["numberKind"], "L");
  EXPECT_TRUE(FollowsIdRules(number.substr(1))) << number;
  EXPECT_EQ(number.substr(7, 8),
            p.birth_date.substr(0, 4) + p.birth_date.substr(5, 2) + p.birth_date.substr(8, 2));
  // The national registrar sees the ID masked, the L number (which holds no ID) whole.
  EXPECT_EQ(r.Json()["idNumber"], MaskedDocument(p.id_number));
  // (The school's registrar should see it whole but gets it masked today, see
  // PersonalDataTest.DISABLED_SchoolRegistrarSeesAStudentWithAJNumberWholeAndAudited.)
  // The person holds a number now: the same ID cannot register again, even for a G number.
  HttpResponse again = Register(StudentBody(PrimarySchool(), "王小明", p, 3, "1"));
  EXPECT_EQ(again.status, 409) << again.Describe();
  EXPECT_EQ(again.ErrorCode(), "duplicate_student");
  json bad_flag = StudentBody(PrimarySchool(), "王小明", ids_.Next(1), 3, "1");
  bad_flag["temporaryNumber"] = "yes";
  HttpResponse bad = Register(bad_flag);
  EXPECT_EQ(bad.status, 422) << bad.Describe();
  EXPECT_EQ(bad.Json()["error"]["fields"][0]["field"], "temporaryNumber");
}

TEST_P(RegistryApiTest, NumbersAreNeverReusedAcrossRestarts) {
  std::set<std::string> numbers;
  auto register_three = [&] {
    for (int i = 0; i < 3; ++i) {
      HttpResponse r = Register(WithoutId("同日生", "2016-07-01", 1));
      ASSERT_EQ(r.status, 201) << r.Describe();
      std::string n = r.Json().value("studentNumber", "");
      EXPECT_TRUE(FollowsIdRules(n.substr(1))) << n;
      EXPECT_TRUE(numbers.insert(n).second) << "number issued twice: " << n;
    }
  };
  register_three();
  StartServer();  // a restart must not start the sequence again
  register_three();
  EXPECT_EQ(numbers.size(), 6u);
  EXPECT_EQ(store().QueryInt("SELECT COUNT(DISTINCT number_index) FROM student"), 2006);
}

TEST_P(RegistryApiTest, IdempotencyKeyReplaysTheFirstAnswer) {
  IdSource::Person p = ids_.Next(1);
  json body = StudentBody(PrimarySchool(), "幂等", p, 3, "1");
  Headers key = {{"Idempotency-Key", "register-1"}};
  HttpResponse first = Register(body, key);
  ASSERT_EQ(first.status, 201) << first.Describe();
  HttpResponse second = Register(body, key);
  ASSERT_EQ(second.status, 200) << second.Describe();
  EXPECT_EQ(second.Json()["studentNumber"], first.Json()["studentNumber"]);
  EXPECT_EQ(second.Json()["createdAt"], first.Json()["createdAt"]);
  EXPECT_EQ(second.Header("ETag"), first.Header("ETag"));
  EXPECT_EQ(store().CountStudentsWithIds({p.id_number}), 1);
  EXPECT_EQ(store().CountStudents(), 2001);
  // The same key with another body is refused rather than silently replayed.
  json other = StudentBody(PrimarySchool(), "别人", ids_.Next(1), 3, "1");
  HttpResponse reused = Register(other, key);
  EXPECT_EQ(reused.status, 422) << reused.Describe();
  EXPECT_EQ(reused.ErrorCode(), "idempotency_key_reused");
  EXPECT_EQ(store().CountStudents(), 2001);
}

TEST_P(RegistryApiTest, PatchWithIfMatchUpdatesAndBumpsTheETag) {
  IdSource::Person p = ids_.Next(1);
  HttpResponse created = Register(StudentBody(PrimarySchool(), "改班", p, 3, "1"));
  ASSERT_EQ(created.status, 201) << created.Describe();
  std::string target = "/api/v1/students/G" + p.id_number;
  HttpResponse r = http().Patch(target, R"({"classNo":"5","address":"广东省深圳市福田区1号"})",
                                {{"If-Match", "\"v1\""}});
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("ETag").value_or(""), "\"v2.0\"");
  EXPECT_EQ(r.Json()["version"], 2);
  EXPECT_EQ(r.Json()["classNo"], "5");
  r = http().Patch(target, R"({"grade":4})", {{"If-Match", "\"v2\""}});
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("ETag").value_or(""), "\"v3.0\"");
  HttpResponse get = registrar().Get(target);  // who sees the address whole
  EXPECT_EQ(get.Header("ETag").value_or(""), "\"v3.0\"");
  EXPECT_EQ(get.Json()["classNo"], "5");
  EXPECT_EQ(get.Json()["grade"], 4);
  EXPECT_EQ(get.Json()["address"], "广东省深圳市福田区1号");
  EXPECT_EQ(http().Get(target).Json()["address"], "广东省深圳市****");
  EXPECT_EQ(get.Json()["name"], "改班");
  EXPECT_EQ(get.Json()["createdAt"], created.Json()["createdAt"]);
}

TEST_P(RegistryApiTest, PatchOfTheNameRequiresApproval) {
  IdSource::Person p = ids_.Next(1);
  ASSERT_EQ(Register(StudentBody(PrimarySchool(), "原名", p, 3, "1")).status, 201);
  std::string target = "/api/v1/students/G" + p.id_number;
  HttpResponse r = http().Patch(target, R"({"name":"新名"})", {{"If-Match", "\"v1\""}});
  EXPECT_EQ(r.status, 422) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), "validation_failed");
  ASSERT_EQ(r.Json()["error"]["fields"].size(), 1u) << r.Describe();
  EXPECT_EQ(r.Json()["error"]["fields"][0]["field"], "name");
  EXPECT_EQ(r.Json()["error"]["fields"][0]["code"], "requires_approval");
  // Another primary school, which teaches the grade: only the transfer rule stands in the way.
  const School* other = nullptr;
  for (const auto& s : SeedRoster().schools)
    if (s.code.starts_with("21") && s.code != PrimarySchool().code) other = &s;
  ASSERT_NE(other, nullptr);
  r = http().Patch(target, json({{"schoolCode", other->code}}).dump(), {{"If-Match", "\"v1\""}});
  EXPECT_EQ(r.status, 422) << r.Describe();
  EXPECT_EQ(r.Json()["error"]["fields"][0]["code"], "requires_transfer");
  // Sending the unchanged name back (what a client read) is not a change.
  r = http().Patch(target, R"({"name":"原名","classNo":"9"})", {{"If-Match", "\"v1\""}});
  EXPECT_EQ(r.status, 200) << r.Describe();
  HttpResponse get = http().Get(target);
  EXPECT_EQ(get.Json()["name"], "原名");
  EXPECT_EQ(get.Json()["version"], 2);
}

TEST_P(RegistryApiTest, ListingPagesThroughEveryStudentOnceInOrder) {
  const Csv& csv = roster();
  const School& school = PrimarySchool();
  size_t school_col = csv.Column("学校标识码"), id_col = csv.Column("身份证件号");
  std::multiset<std::string> expected_ids;
  size_t expected = 0;
  for (const auto& row : csv.rows) {
    if (row[school_col] != school.code) continue;
    ++expected;
    if (!row[id_col].empty()) expected_ids.insert(row[id_col]);
  }
  ASSERT_GT(expected, 200u);
  int pages = 0;
  // Listed by the school's registrar, who sees the numbers and IDs whole.
  auto items = ListAll(registrar(), "/api/v1/students?school=" + school.code + "&limit=37", &pages);
  ASSERT_EQ(items.size(), expected);
  EXPECT_EQ(pages, static_cast<int>((expected + 36) / 37));
  std::set<std::string> numbers;
  std::multiset<std::string> ids;
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_TRUE(numbers.insert(items[i].value("studentNumber", "")).second)
        << "listed twice: " << items[i].dump();
    EXPECT_EQ(items[i]["schoolCode"], school.code);
    if (items[i]["idNumber"].is_string()) ids.insert(items[i]["idNumber"].get<std::string>());
    if (i > 0) {
      auto key = [](const json& s) {
        return std::make_pair(s["grade"].get<int>(), s["classNo"].get<std::string>());
      };
      EXPECT_LE(key(items[i - 1]), key(items[i])) << "out of order at " << i;
    }
  }
  EXPECT_EQ(ids, expected_ids);

  // Filters: one grade, one class.
  size_t grade_col = csv.Column("年级"), class_col = csv.Column("班号");
  std::string grade = items.front()["grade"].dump(), class_no = items.front()["classNo"];
  size_t in_class = 0;
  for (const auto& row : csv.rows)
    if (row[school_col] == school.code && row[grade_col] == grade && row[class_col] == class_no)
      ++in_class;
  auto class_items = ListAll(http(), "/api/v1/students?school=" + school.code + "&grade=" + grade +
                                         "&class=" + class_no + "&limit=5");
  EXPECT_EQ(class_items.size(), in_class);
  for (const auto& s : class_items) {
    EXPECT_EQ(s["grade"].dump(), grade);
    EXPECT_EQ(s["classNo"], class_no);
  }
}

TEST_P(RegistryApiTest, SearchByNamePrefixAndByNumber) {
  const Csv& csv = roster();
  size_t name_col = csv.Column("姓名"), id_col = csv.Column("身份证件号"),
         type_col = csv.Column("身份证件类型");
  // The most common surname of the roster.
  std::map<std::string, size_t> by_first_char;
  for (const auto& row : csv.rows) by_first_char[row[name_col].substr(0, 3)]++;
  auto most = std::max_element(by_first_char.begin(), by_first_char.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  const std::string surname = most->first;
  ASSERT_GT(most->second, 20u);
  auto found = ListAll(http(), "/api/v1/students?q=" + UrlEncode(surname) + "&limit=20");
  EXPECT_EQ(found.size(), most->second);
  // The national registrar sees numbers masked, and masked numbers may repeat: each
  // student once is checked on the whole records and on the names against the roster.
  std::multiset<std::string> expected_names, names;
  for (const auto& row : csv.rows)
    if (row[name_col].rfind(surname, 0) == 0) expected_names.insert(row[name_col]);
  std::set<std::string> records;
  for (size_t i = 0; i < found.size(); ++i) {
    std::string name = found[i].value("name", "");
    EXPECT_EQ(name.rfind(surname, 0), 0u) << name;
    names.insert(name);
    EXPECT_TRUE(records.insert(found[i].dump()).second) << "found twice: " << found[i].dump();
    if (i > 0) {
      EXPECT_LE(found[i - 1].value("name", ""), name);
    }
  }
  EXPECT_EQ(names, expected_names);

  // A whole name.
  std::string name = csv.rows[10][name_col];
  size_t same_name = std::count_if(csv.rows.begin(), csv.rows.end(),
                                   [&](const auto& r) { return r[name_col].rfind(name, 0) == 0; });
  EXPECT_EQ(ListAll(http(), "/api/v1/students?q=" + UrlEncode(name)).size(), same_name);

  // By student number and by citizen ID: exactly that student.
  // (The numbers are found through their blind indexes; the answer shows them masked.)
  std::string id, id_name;
  for (const auto& row : csv.rows)
    if (!row[id_col].empty() && row[type_col] == "1") {
      id = row[id_col];
      id_name = row[name_col];
      break;
    }
  for (const std::string& q : {"G" + id, id}) {
    HttpResponse r = http().Get("/api/v1/students?q=" + q);
    ASSERT_EQ(r.status, 200) << r.Describe();
    ASSERT_EQ(r.Json()["items"].size(), 1u) << q << ": " << r.Describe();
    EXPECT_EQ(r.Json()["items"][0]["name"], id_name);
    EXPECT_EQ(r.Json()["items"][0]["idNumber"], MaskedDocument(id));
    EXPECT_EQ(r.Json()["items"][0]["studentNumber"], MaskedStudentNumber("G" + id));
  }
  HttpResponse none = http().Get("/api/v1/students?q=G" + ids_.Next(1).id_number);
  ASSERT_EQ(none.status, 200);
  EXPECT_EQ(none.Json()["items"].size(), 0u);
  EXPECT_TRUE(none.Json()["next"].is_null());
}

TEST_P(RegistryApiTest, StatsByGradeAndGenderMatchTheRoster) {
  const Csv& csv = roster();
  size_t grade_col = csv.Column("年级"), gender_col = csv.Column("性别");
  std::map<std::pair<int, int>, int64_t> expected;
  for (const auto& row : csv.rows)
    expected[{std::stoi(row[grade_col]), std::stoi(row[gender_col])}]++;
  HttpResponse r = http().Get("/api/v1/stats/students?by=grade,gender");
  ASSERT_EQ(r.status, 200) << r.Describe();
  json body = r.Json();
  EXPECT_EQ(body["total"], static_cast<int64_t>(csv.rows.size()));
  std::map<std::pair<int, int>, int64_t> actual;
  int64_t sum = 0;
  for (const auto& row : body["rows"]) {
    actual[{row["grade"].get<int>(), row["gender"].get<int>()}] = row["count"].get<int64_t>();
    sum += row["count"].get<int64_t>();
  }
  EXPECT_EQ(sum, body["total"].get<int64_t>());
  EXPECT_EQ(actual, expected);
  // The girls alone by grade, through a filter (gender=2, URL-encoded as clients send it).
  HttpResponse girls = http().Get("/api/v1/stats/students?by=grade&filter=gender%3D2");
  ASSERT_EQ(girls.status, 200) << girls.Describe();
  std::map<int, int64_t> by_grade;
  const json girl_rows = girls.Json()["rows"];
  for (const auto& row : girl_rows) by_grade[row["grade"].get<int>()] = row["count"].get<int64_t>();
  std::map<int, int64_t> expected_girls;
  for (const auto& [key, n] : expected)
    if (key.second == 2) expected_girls[key.first] += n;
  EXPECT_EQ(by_grade, expected_girls);
  HttpResponse bad = http().Get("/api/v1/stats/students?by=grade&filter=gender%3Dgirl");
  EXPECT_EQ(bad.status, 400) << bad.Describe();
  EXPECT_EQ(bad.ErrorCode(), "bad_filter");
}

// The measures beside the students: per grade, the classes (school, grade, class number)
// and the schools the roster puts its students in, each once, and once in the totals.
TEST_P(RegistryApiTest, ClassesAndSchoolsPerGradeMatchTheRoster) {
  const Csv& csv = roster();
  const size_t school_col = csv.Column("学校标识码"), grade_col = csv.Column("年级"),
               class_col = csv.Column("班号");
  std::map<int, std::set<std::pair<std::string, std::string>>> classes;
  std::map<int, std::set<std::string>> schools;
  std::set<std::tuple<std::string, int, std::string>> all_classes;
  std::set<std::string> all_schools;
  for (const auto& row : csv.rows) {
    const int grade = std::stoi(row[grade_col]);
    classes[grade].insert({row[school_col], row[class_col]});
    schools[grade].insert(row[school_col]);
    all_classes.insert({row[school_col], grade, row[class_col]});
    all_schools.insert(row[school_col]);
  }
  HttpResponse r = http().Get("/api/v1/stats/students?by=grade&measures=students,classes,schools");
  ASSERT_EQ(r.status, 200) << r.Describe();
  const json body = r.Json();
  EXPECT_EQ(body["total"], static_cast<int64_t>(csv.rows.size()));
  EXPECT_EQ(body["classes"], static_cast<int64_t>(all_classes.size()));
  EXPECT_EQ(body["schools"], static_cast<int64_t>(all_schools.size()));
  ASSERT_EQ(body["rows"].size(), classes.size());
  for (const auto& row : body["rows"]) {
    const int grade = row["grade"].get<int>();
    EXPECT_EQ(row["classes"], static_cast<int64_t>(classes[grade].size())) << grade;
    EXPECT_EQ(row["schools"], static_cast<int64_t>(schools[grade].size())) << grade;
  }
  // Students only (the default) carry no classes or schools.
  HttpResponse plain = http().Get("/api/v1/stats/students?by=grade");
  ASSERT_EQ(plain.status, 200);
  EXPECT_FALSE(plain.Json().contains("classes"));
  EXPECT_FALSE(plain.Json()["rows"][0].contains("classes"));
  HttpResponse bad = http().Get("/api/v1/stats/students?by=grade&measures=students,teachers");
  EXPECT_EQ(bad.status, 400) << bad.Describe();
  EXPECT_EQ(bad.ErrorCode(), "bad_parameter");
  EXPECT_NE(bad.Json()["error"]["message"].get<std::string>().find("teachers"), std::string::npos);
}

// Counts come from the statistics engine once it has loaded (/metrics says so), and a
// student registered a moment ago is in the next count: the route applies the change log
// before it answers.
TEST_P(RegistryApiTest, StatsFromTheEngineCountAStudentRegisteredJustBefore) {
  const auto gauge = [&](const std::string& name) -> int64_t {
    const std::string body = http().Get("/metrics").body;
    const size_t at = body.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stoll(body.substr(at + name.size() + 2));
  };
  for (int i = 0; i < 200 && gauge("nemis_stats_ready") != 1; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(gauge("nemis_stats_ready"), 1);
  const std::string school = PrimarySchool().code;
  const auto count = [&] {
    HttpResponse r = http().Get("/api/v1/stats/students?org=" + school + "&by=grade");
    EXPECT_EQ(r.status, 200) << r.Describe();
    return r.Json();
  };
  const json before = count();
  for (int n = 1; n <= 3; ++n) {
    ASSERT_EQ(Register(StudentBody(PrimarySchool(), "统计", ids_.Next(1), 3, "1")).status, 201);
    const json after = count();
    EXPECT_EQ(after["total"], before["total"].get<int64_t>() + n);
  }
  EXPECT_GE(gauge("nemis_stats_students"), 3);
  EXPECT_GT(gauge("nemis_stats_applied_seq"), 0);
  EXPECT_GT(gauge("nemis_stats_memory_bytes"), 0);
}

// As of yesterday nobody of this test's store was registered yet; today is refused (not
// over), and so is a date that is not one.
TEST_P(RegistryApiTest, StatsAsOfAPastDayComeFromTheHistory) {
  ASSERT_EQ(Register(StudentBody(PrimarySchool(), "历史", ids_.Next(1), 3, "1")).status, 201);
  const auto get = [&](const std::string& as_of) {
    HttpResponse r;
    for (int i = 0; i < 200; ++i) {  // 503 until the engine has loaded
      r = http().Get("/api/v1/stats/students?asOf=" + as_of);
      if (r.status != 503) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return r;
  };
  const auto day = [](int offset) {
    return nemis::Date::FromDaysSinceEpoch(nemis::Clock::System().TodayInChina().DaysSinceEpoch() +
                                           offset)
        .ToIso();
  };
  HttpResponse yesterday = get(day(-1));
  ASSERT_EQ(yesterday.status, 200) << yesterday.Describe();
  EXPECT_EQ(yesterday.Json()["total"], 0);
  HttpResponse today = get(day(0));
  EXPECT_EQ(today.status, 400) << today.Describe();
  EXPECT_EQ(today.ErrorCode(), "as_of_not_past");
  HttpResponse bad = get("2026-02-30");
  EXPECT_EQ(bad.status, 400) << bad.Describe();
  EXPECT_EQ(bad.ErrorCode(), "bad_parameter");
}

// The forms' catalogue, and 基础基312 (教基3112) of the primary school's county now: its
// 在校生数 is the county's primary pupils in school (01 在读, 05 复学) that the counts route
// gives; as CSV it is a file of the form's grid; an unknown form is 404, a bad format 400.
TEST_P(RegistryApiTest, StatsFormOfACountyAgreesWithTheCounts) {
  HttpResponse list = http().Get("/api/v1/stats/forms");
  ASSERT_EQ(list.status, 200) << list.Describe();
  std::set<std::string> listed;
  const json items = list.Json()["items"];
  for (const auto& f : items)
    listed.insert(f["id"].get<std::string>() + "/" + f["aliases"][0].get<std::string>());
  EXPECT_EQ(listed, (std::set<std::string>{"教基1001/基础基111", "教基2106/基础基212",
                                           "教基3112/基础基312", "教基3118/基础基314"}));
  const std::string county = PrimarySchool().division;
  const std::string today = nemis::Clock::System().TodayInChina().ToIso();
  const std::string path = "/api/v1/stats/forms/" + nemis::http::PercentEncode("基础基312") +
                           "?org=" + county + "&asOf=" + today;
  HttpResponse form;
  for (int i = 0; i < 200; ++i) {  // 503 until the engine has loaded
    form = http().Get(path);
    if (form.status != 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(form.status, 200) << form.Describe();
  const json body = form.Json();
  EXPECT_EQ(body["form"], "教基3112");
  EXPECT_EQ(body["org"], county);
  EXPECT_EQ(body["columns"][6]["name"], "在校生数");
  HttpResponse counts =
      http().Get("/api/v1/stats/students?org=" + county + "&by=stage,status&status=all");
  ASSERT_EQ(counts.status, 200) << counts.Describe();
  int64_t primary_in_school = 0;
  const json count_rows = counts.Json()["rows"];
  for (const auto& row : count_rows)
    if (row["stage"] == "primary" && (row["status"] == "01" || row["status"] == "05"))
      primary_in_school += row["count"].get<int64_t>();
  EXPECT_GT(primary_in_school, 0) << counts.body;
  EXPECT_EQ(body["rows"][0]["cells"][6], primary_in_school);
  EXPECT_TRUE(body["rows"][0]["cells"][2].is_null());  // 学前教育年限: not in the registry
  EXPECT_EQ(body["rows"][1]["cells"][7], "-");         // #女 of #女
  HttpResponse csv = http().Get(path + "&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.Describe();
  EXPECT_EQ(csv.Header("Content-Type").value_or(""), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.rfind("指标名称,代码,1 毕业生数,2 招生数,", 0), 0u) << csv.body;
  EXPECT_NE(csv.Header("Content-Disposition").value_or("").find(county), std::string::npos);
  // Drill-down: the county's 在校生数 for each of its schools, summing to the county's.
  HttpResponse cells = http().Get("/api/v1/stats/forms/" + nemis::http::PercentEncode("基础基312") +
                                  "/cells?org=" + county + "&asOf=" + today + "&row=01&column=7");
  ASSERT_EQ(cells.status, 200) << cells.Describe();
  const json drill = cells.Json();
  EXPECT_EQ(drill["value"], primary_in_school);
  int64_t schools_sum = 0;
  for (const auto& child : drill["children"]) {
    schools_sum += child["value"].get<int64_t>();
    EXPECT_FALSE(child["name"].get<std::string>().empty()) << child;
  }
  EXPECT_EQ(schools_sum, primary_in_school);
  HttpResponse not_computed =
      http().Get("/api/v1/stats/forms/" + nemis::http::PercentEncode("基础基312") +
                 "/cells?org=" + county + "&asOf=" + today + "&row=04&column=7");
  EXPECT_EQ(not_computed.status, 400) << not_computed.Describe();
  EXPECT_EQ(not_computed.ErrorCode(), "cell_not_computed");
  // The pupils behind the county's 在校生数, a page of them: as the form counts, masked for
  // the national officer; its school's registrar sees its own whole; no list for a
  // statistician (no student.view) nor of classes.
  const std::string cell_list = "/api/v1/stats/forms/" + nemis::http::PercentEncode("基础基312") +
                                "/cells/students?asOf=" + today + "&row=01&column=7&limit=5&org=";
  HttpResponse pupils = http().Get(cell_list + county);
  ASSERT_EQ(pupils.status, 200) << pupils.Describe();
  EXPECT_EQ(pupils.Json()["total"], primary_in_school);
  ASSERT_EQ(pupils.Json()["items"].size(), 5u);
  const auto whole_ids = [](const json& items) {
    int whole = 0;
    for (const auto& item : items) {
      const std::string id = item.value("idNumber", "");
      whole += !id.empty() && id.find('*') == std::string::npos;
    }
    return whole;
  };
  EXPECT_EQ(whole_ids(pupils.Json()["items"]), 0) << pupils.body;
  HttpResponse own = registrar().Get(cell_list + PrimarySchool().code);
  ASSERT_EQ(own.status, 200) << own.Describe();
  EXPECT_GT(whole_ids(own.Json()["items"]), 0) << own.body;
  EXPECT_EQ(registrar().Get(cell_list + county).status, 404);  // beyond its school
  HttpClient statistician = ClientWithToken(TokenFor("stat.national", "statistician", "000000"));
  EXPECT_EQ(statistician.Get(cell_list + county).status, 403);
  HttpResponse classes =
      http().Get("/api/v1/stats/forms/" + nemis::http::PercentEncode("基础基212") +
                 "/cells/students?asOf=" + today + "&row=01&column=1&org=" + county);
  EXPECT_EQ(classes.status, 422) << classes.Describe();
  EXPECT_EQ(classes.ErrorCode(), "cell_not_listable");
  // Indicators at the last two points in time: before this store existed, so no pupils.
  HttpResponse indicators = http().Get("/api/v1/stats/indicators?org=" + county + "&years=2");
  ASSERT_EQ(indicators.status, 200) << indicators.Describe();
  const json trend = indicators.Json();
  EXPECT_EQ(trend["org"], county);
  ASSERT_EQ(trend["points"].size(), 2u);
  EXPECT_GE(trend["items"].size(), 8u);
  EXPECT_EQ(trend["items"][0]["id"], "primary_enrolment");
  EXPECT_EQ(trend["items"][0]["values"], json::array({0.0, 0.0}));
  EXPECT_EQ(http().Get("/api/v1/stats/indicators?years=0").status, 400);
  HttpResponse xlsx = http().Get(path + "&format=xlsx");
  ASSERT_EQ(xlsx.status, 200) << xlsx.Describe();
  EXPECT_EQ(xlsx.Header("Content-Type").value_or(""),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx.body.rfind("PK", 0), 0u);  // a zip file
  EXPECT_EQ(http().Get("/api/v1/stats/forms/" + nemis::http::PercentEncode("基础基999")).status,
            404);
  HttpResponse bad = http().Get(path + "&format=xls");
  EXPECT_EQ(bad.status, 400) << bad.Describe();
  EXPECT_EQ(bad.ErrorCode(), "bad_parameter");
}

TEST_P(RegistryApiTest, StatsByOrgAtACityGiveItsCounties) {
  const GenRoster& gen = SeedRoster();
  const Csv& csv = gen.students;
  size_t school_col = csv.Column("学校标识码");
  // The city of the primary school, and the count of each county (or, for schools
  // directly under the city, each school) below it.
  std::string city = PrimarySchool().division.substr(0, 4) + "00";
  std::map<std::string, int64_t> expected;
  for (const auto& row : csv.rows) {
    const School& school = gen.SchoolByCode(row[school_col]);
    if (school.division.substr(0, 4) + "00" != city) continue;
    expected[school.division == city ? school.code : school.division]++;
  }
  HttpResponse r = http().Get("/api/v1/stats/students?org=" + city + "&by=org");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Json()["org"], city);
  std::map<std::string, int64_t> actual;
  int64_t total = 0;
  json body = r.Json();
  for (const auto& row : body["rows"]) {
    actual[row["org"].get<std::string>()] = row["count"].get<int64_t>();
    total += row["count"].get<int64_t>();
  }
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(r.Json()["total"], total);
  // Each county named is a child of the city in the org tree.
  for (const auto& [code, count] : actual) {
    HttpResponse org = http().Get("/api/v1/orgs/" + code);
    ASSERT_EQ(org.status, 200) << code;
    EXPECT_EQ(org.Json()["parentCode"], city) << code;
  }
}

TEST_P(RegistryApiTest, StatsRejectUnknownDimensions) {
  for (const char* by : {"shoeSize", "grade,grade", "grade,,gender"}) {
    HttpResponse r = http().Get(std::string("/api/v1/stats/students?by=") + by);
    EXPECT_EQ(r.status, 400) << by << ": " << r.Describe();
    EXPECT_EQ(r.ErrorCode(), "bad_dimension") << by;
  }
}

// A new student's Location names it by its number only where the body shows the number
// whole: to the national registrar, who sees IDs masked, no header carries the ID.
TEST_P(RegistryApiTest, LocationCarriesNoIdTheBodyMasks) {
  IdSource::Person p = ids_.Next(1);
  HttpResponse masked = Register(StudentBody(PrimarySchool(), "位置", p, 3, "1"));
  ASSERT_EQ(masked.status, 201) << masked.Describe();
  EXPECT_EQ(masked.Json()["studentNumber"], MaskedStudentNumber("G" + p.id_number));
  EXPECT_FALSE(masked.Header("Location").has_value()) << masked.Describe();
  for (const auto& [name, value] : masked.headers)
    EXPECT_EQ(value.find(p.id_number), std::string::npos) << name;
  IdSource::Person q = ids_.Next(2);
  HttpResponse whole =
      registrar().PostJson("/api/v1/students", StudentBody(PrimarySchool(), "位置", q, 3, "1"));
  ASSERT_EQ(whole.status, 201) << whole.Describe();
  EXPECT_EQ(whole.Header("Location").value_or(""), "/api/v1/students/G" + q.id_number);
}

// A store that goes away under a registration answers 503 store_unavailable, and the
// answer never repeats libpq's words, which name the database server's host and port.
TEST_P(RegistryApiTest, AStoreThatGoesAwayAnswers503WithoutNamingTheDatabaseServer) {
  if (GetParam() != Backend::kPostgres)
    GTEST_SKIP() << "the PostgreSQL database stops accepting connections";
  StartServer({{"store.busy_timeout_ms", "2000"}, {"identity.token_cache_seconds", "60"}});
  IdSource::Person p = ids_.Next(1);
  ASSERT_EQ(registrar()
                .PostJson("/api/v1/students", StudentBody(PrimarySchool(), "断库", p, 3, "1"))
                .status,
            201);
  const std::string url = store().url();
  const std::string port =
      url.substr(url.rfind(':') + 1, url.find('/', url.rfind(':')) - url.rfind(':') - 1);
  ASSERT_FALSE(port.empty()) << url;
  const std::string db = store().pg_database();
  PgAdminExec("ALTER DATABASE \"" + db + "\" ALLOW_CONNECTIONS false");
  PgAdminExec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db +
              "'");
  HttpResponse post = registrar().PostJson(
      "/api/v1/students", StudentBody(PrimarySchool(), "断库", ids_.Next(1), 3, "1"));
  HttpResponse patch = registrar().Patch("/api/v1/students/G" + p.id_number, R"({"classNo":"2"})",
                                         {{"If-Match", "\"v1\""}});
  PgAdminExec("ALTER DATABASE \"" + db + "\" ALLOW_CONNECTIONS true");
  for (const HttpResponse* r : {&post, &patch}) {
    EXPECT_EQ(r->status, 503) << r->Describe();
    EXPECT_EQ(r->ErrorCode(), "store_unavailable") << r->Describe();
    for (const std::string& leak :
         {std::string("127.0.0.1"), port, std::string("host"), std::string("connection to")})
      EXPECT_EQ(r->body.find(leak), std::string::npos) << leak << " in " << r->Describe();
  }
}

NEMIS_IT_BOTH_BACKENDS(RegistryApiTest);

}  // namespace
}  // namespace nemis::it
