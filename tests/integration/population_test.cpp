// The online population check (人口信息比对) and L → G end to end, on both stores: students
// registered through the API, `nemis registry population-check` against a simulated
// population register (tests/departments/population_register_sim.mjs, started per test),
// `nemis registry scan` reporting what the register did not confirm, and
// `nemis registry convert-temporary` giving the L student found 一致 its G number. Every
// way the register can fail stops the run with its error code and keeps only what was
// answered; every run is audited.
#include <gtest/gtest.h>

#include <thread>

#include "base/date.hpp"
#include "department_sim.hpp"
#include "fixture.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

// The simulated register as a child process of the test: knows the persons of a CSV file,
// answers as `mode` says (see the script's header), logs the size of every request.
class RegisterSim {
 public:
  RegisterSim(const TestStore& store, const std::string& persons_file, const std::string& mode,
              const std::string& token = "")
      : sim_(store, NEMIS_POPULATION_SIM, Args(persons_file, mode, token)) {}

  std::string Url(const std::string& path = "/verify") const { return sim_.Url(path); }
  /// Persons asked in each request answered so far, in order (the sim's log).
  std::vector<int> Requests() const {
    std::vector<int> sizes;
    for (const json& line : sim_.Log()) sizes.push_back(line.at("persons").get<int>());
    return sizes;
  }
  /// Stops it: its port is closed from then on.
  void Kill() { sim_.Kill(); }

 private:
  static std::vector<std::string> Args(const std::string& persons_file, const std::string& mode,
                                       const std::string& token) {
    std::vector<std::string> args = {"--persons", persons_file, "--mode", mode};
    if (!token.empty()) args.insert(args.end(), {"--token", token});
    return args;
  }

  DepartmentSim sim_;
};

// A student this test registers, and what the register knows of the person.
struct Pupil {
  std::string name;
  int gender;                 // 1 boy, 2 girl
  bool temporary;             // registered with temporaryNumber: an L number
  std::string register_name;  // the name the register holds; empty: it does not know the ID
  std::string expected;       // the verdict kept: match, name_mismatch, unknown
  IdSource::Person person{};
  std::string number{};  // as registered
};

class PopulationTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    SeedRoster(60);
    // The roster counts as checked already: only the pupils below go to the register.
    store().Execute(
        "UPDATE student SET population_check = 'match', "
        "population_checked_on = '2025-09-01' WHERE id_type = '1'");
    StartServer();
    IdSource ids("110105", 2016);
    for (Pupil& p : pupils_) {
      p.person = ids.Next(p.gender);
      json body = StudentBody(PrimarySchool(), p.name, p.person, 3, "2");
      if (p.temporary) body["temporaryNumber"] = true;
      HttpResponse r = http().PostJson("/api/v1/students", body);
      ASSERT_EQ(r.status, 201) << r.Describe();
      p.number = r.Json().value("studentNumber", "");
      ASSERT_EQ(p.number[0], p.temporary ? 'L' : 'G') << p.number;
    }
    persons_ = store().File("register-persons.csv");
    std::string csv = "身份证件号,姓名\n";
    for (const Pupil& p : pupils_)
      if (!p.register_name.empty()) csv += p.person.id_number + "," + p.register_name + "\n";
    csv += MakeIdNumber("110105", "19850317", 222) + ",孙丽\n";  // a person NEMIS never asks about
    WriteFile(persons_, csv);
  }

  const Pupil& Named(const std::string& name) {
    for (const Pupil& p : pupils_)
      if (p.name == name) return p;
    throw std::out_of_range(name);
  }

  // `nemis registry population-check` against `url`, two persons a request, with
  // `settings` (population.*) on top, all given as the operator would: --set KEY=VALUE,...
  RunResult Check(const std::string& url, std::vector<std::string> args = {},
                  std::map<std::string, std::string> settings = {}) {
    settings.try_emplace("population.url", url);
    settings.try_emplace("population.batch", "2");
    std::string set;
    for (const auto& [key, value] : settings) {
      if (!set.empty()) set += ',';
      set.append(key).append("=").append(value);
    }
    std::vector<std::string> argv = {"registry", "population-check", "--db", store().url(), "--set",
                                     set};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunNemisOnStore(argv);
  }
  RunResult Convert(std::vector<std::string> args = {}) {
    std::vector<std::string> argv = {"registry", "convert-temporary", "--db", store().url()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunNemisOnStore(argv);
  }

  // The verdict kept on each pupil ("" when none), by name.
  std::map<std::string, std::string> Kept() {
    std::map<std::string, std::string> out;
    for (const Pupil& p : pupils_) out[p.name] = Column(p, "population_check");
    return out;
  }
  std::map<std::string, std::string> NoneKept() {
    std::map<std::string, std::string> out;
    for (const Pupil& p : pupils_) out[p.name] = "";
    return out;
  }
  std::map<std::string, std::string> Expected() {
    std::map<std::string, std::string> out;
    for (const Pupil& p : pupils_) out[p.name] = p.expected;
    return out;
  }
  std::string Column(const Pupil& p, const std::string& column) {
    auto rows = store().QueryRows("SELECT " + column + " FROM student WHERE id_index = '" +
                                  store().DocumentIndex(p.person.id_number) + "'");
    return rows.size() == 1 ? rows[0][0] : "(" + std::to_string(rows.size()) + " rows)";
  }
  int64_t StudentId(const Pupil& p) { return std::stoll(Column(p, "id")); }

  // Approves the case's current step as a new account `login` (`role` at `org`); `kase`
  // becomes the case as the approval left it.
  bool Approve(const std::string& login, const std::string& role, const std::string& org,
               json& kase) {
    const std::string version = "\"v" + std::to_string(kase["version"].get<int64_t>()) + "\"";
    HttpResponse r =
        ClientWithToken(TokenFor(login, role, org))
            .Post("/api/v1/cases/" + std::to_string(kase["id"].get<int64_t>()) + "/approve", "{}",
                  {{"Content-Type", "application/json"}, {"If-Match", version}});
    EXPECT_EQ(r.status, 200) << login << ": " << r.Describe();
    if (r.status != 200) return false;
    kase = r.Json();
    return true;
  }

  // Registered in id order: with two persons a request, the pairs are (张明, 李华),
  // (王芳, 赵强), (陈静, 刘洋).
  std::vector<Pupil> pupils_ = {
      {"张明", 1, true, "张明", "match"},  {"李华", 2, true, "李桦", "name_mismatch"},
      {"王芳", 2, true, "", "unknown"},    {"赵强", 1, false, "赵强", "match"},
      {"陈静", 2, false, "陈静", "match"}, {"刘洋", 1, false, "", "unknown"},
  };
  std::string persons_;
};

TEST_P(PopulationTest, ChecksInBatchesKeepsTheVerdictsAndAsksAgainOnlyForTheUnconfirmed) {
  RegisterSim sim(store(), persons_, "ok");

  RunResult dry = Check(sim.Url(), {"--dry-run"});
  ASSERT_TRUE(dry.status.Ok()) << dry.Describe();
  EXPECT_NE(dry.out.find("试运行（未保存）：发送 6 人，未获答复 0；一致 3，查无此人 2，姓名不符 1"),
            std::string::npos)
      << dry.out;
  EXPECT_EQ(Kept(), NoneKept()) << "a dry run keeps nothing";

  RunResult checked = Check(sim.Url());
  ASSERT_TRUE(checked.status.Ok()) << checked.Describe();
  EXPECT_NE(checked.out.find("已比对：发送 6 人，未获答复 0；一致 3，查无此人 2，姓名不符 1；"
                             "姓名已更正（须重新比对） 0"),
            std::string::npos)
      << checked.out;
  EXPECT_EQ(Kept(), Expected());
  const std::string today = Clock::System().TodayInChina().ToIso();
  for (const Pupil& p : pupils_) EXPECT_EQ(Column(p, "population_checked_on"), today) << p.name;
  // population.batch honoured: three requests of two, for the dry run and for the real one.
  EXPECT_EQ(sim.Requests(), (std::vector<int>{2, 2, 2, 2, 2, 2}));

  // Only the students not found 一致 are asked again.
  RunResult again = Check(sim.Url());
  ASSERT_TRUE(again.status.Ok()) << again.Describe();
  EXPECT_NE(again.out.find("发送 3 人，未获答复 0；一致 0，查无此人 2，姓名不符 1"),
            std::string::npos)
      << again.out;
  EXPECT_EQ(sim.Requests(), (std::vector<int>{2, 2, 2, 2, 2, 2, 2, 1}));
  // --recheck asks for every student with a resident ID, the roster's too (unknown to the
  // register: 查无此人), and the dry run keeps nothing of it.
  const int64_t with_id = store().QueryInt("SELECT COUNT(*) FROM student WHERE id_type = '1'");
  RunResult recheck = Check(sim.Url(), {"--recheck", "--dry-run"});
  ASSERT_TRUE(recheck.status.Ok()) << recheck.Describe();
  EXPECT_NE(
      recheck.out.find("发送 " + std::to_string(with_id) + " 人，未获答复 0；一致 3，查无此人 " +
                       std::to_string(with_id - 4) + "，姓名不符 1"),
      std::string::npos)
      << recheck.out;
  EXPECT_EQ(Kept(), Expected());
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM student WHERE population_check = 'match'"),
            with_id - 3);

  // The scan reports the three the register did not confirm, each with its verdict.
  RunResult scan = RunNemisOnStore({"registry", "scan", "--db", store().url()});
  ASSERT_TRUE(scan.status.Ok()) << scan.Describe();
  EXPECT_NE(scan.out.find("population_check,人口信息比对未通过：查无此人或姓名不符,3"),
            std::string::npos)
      << scan.out;
  std::map<int64_t, std::string> found;
  for (const auto& row : store().QueryRows(
           "SELECT student_id, details FROM problem_record WHERE kind = 'population_check'"))
    found[std::stoll(row[0])] = json::parse(row[1]).value("verdict", "");
  EXPECT_EQ(found, (std::map<int64_t, std::string>{{StudentId(Named("李华")), "name_mismatch"},
                                                   {StudentId(Named("王芳")), "unknown"},
                                                   {StudentId(Named("刘洋")), "unknown"}}));

  // Each run audited: how many persons left the node, and whether it was a dry run.
  std::vector<std::pair<int64_t, bool>> runs;
  for (const json& d : store().AuditDetails("registry.population_check")) {
    EXPECT_TRUE(d.value("finished", false)) << d.dump();
    runs.emplace_back(d.value("sent", int64_t{-2}), d.value("dryRun", false));
  }
  EXPECT_EQ(runs, (std::vector<std::pair<int64_t, bool>>{
                      {6, true}, {6, false}, {3, false}, {with_id, true}}));
}

TEST_P(PopulationTest, ConvertsTheLStudentFoundMatchingToItsGNumber) {
  RegisterSim sim(store(), persons_, "ok");
  ASSERT_TRUE(Check(sim.Url()).status.Ok());
  const Pupil& matched = Named("张明");
  const std::string g_number = "G" + matched.person.id_number;
  const std::string summary_tail =
      "他省已有学籍 0 人，有在办案件 0 人，G 学籍号已被占用（须合并） 0 人（均未转换）";

  RunResult dry = Convert({"--dry-run"});
  ASSERT_TRUE(dry.status.Ok()) << dry.Describe();
  EXPECT_NE(dry.out.find("试运行（未作任何改变）：临时学籍号（L）学生 1 人已通过人口信息比对；"
                         "可转为 G 字头学籍号 1 人；" +
                         summary_tail),
            std::string::npos)
      << dry.out;
  // A provincial node without a national node to ask says it checks only here.
  EXPECT_NE(dry.err.find("只核对本节点的学籍"), std::string::npos) << dry.err;
  EXPECT_EQ(Column(matched, "number_kind"), "L");
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM student_former_number"), 0);

  RunResult converted = Convert();
  ASSERT_TRUE(converted.status.Ok()) << converted.Describe();
  EXPECT_NE(
      converted.out.find("临时学籍号（L）学生 1 人已通过人口信息比对；已转为 G 字头学籍号 1 人；" +
                         summary_tail),
      std::string::npos)
      << converted.out;
  EXPECT_EQ(Column(matched, "number_kind"), "G");
  EXPECT_EQ(Column(matched, "number_index"), store().StudentNumberIndex(g_number));
  // The L number stays the student's, never to be issued again.
  EXPECT_EQ(store().QueryRows("SELECT student_id, number_kind, reason FROM student_former_number "
                              "WHERE number_index = '" +
                              store().StudentNumberIndex(matched.number) + "'"),
            (std::vector<std::vector<std::string>>{
                {std::to_string(StudentId(matched)), "L", "population_checked"}}));
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM student_former_number"), 1);
  // The API finds the student under its G number.
  HttpResponse got = http().Get("/api/v1/students/" + g_number);
  ASSERT_EQ(got.status, 200) << got.Describe();
  EXPECT_EQ(got.Json()["numberKind"], "G");
  EXPECT_EQ(got.Json()["name"], "张明");
  EXPECT_EQ(got.Json()["studentNumber"], MaskedStudentNumber(g_number));
  // 姓名不符 and 查无此人 keep their L numbers.
  for (const char* name : {"李华", "王芳"}) {
    const Pupil& p = Named(name);
    EXPECT_EQ(Column(p, "number_kind"), "L") << name;
    EXPECT_EQ(Column(p, "number_index"), store().StudentNumberIndex(p.number)) << name;
  }

  RunResult again = Convert();
  ASSERT_TRUE(again.status.Ok()) << again.Describe();
  EXPECT_NE(again.out.find("临时学籍号（L）学生 0 人已通过人口信息比对；已转为 G 字头学籍号 0 人"),
            std::string::npos)
      << again.out;
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM student_former_number"), 1);

  std::vector<std::pair<int64_t, bool>> runs;
  for (const json& d : store().AuditDetails("registry.convert_temporary"))
    runs.emplace_back(d.value("converted", int64_t{-2}), d.value("dryRun", false));
  EXPECT_EQ(runs, (std::vector<std::pair<int64_t, bool>>{{1, true}, {1, false}, {0, false}}));
}

// A number is never reused (STANDARDS.md): the L number given up for the G number cannot
// be supplied for another student, as records migrated from an older system may be.
// Disabled: fails today (201), a supplied number is checked against the student table only,
// not against student_former_number (registry/student_number.cpp, IssueStudentNumber).
TEST_P(PopulationTest, AFormerLNumberIsNotGivenToAnotherStudent) {
  RegisterSim sim(store(), persons_, "ok");
  ASSERT_TRUE(Check(sim.Url()).status.Ok());
  ASSERT_TRUE(Convert().status.Ok());
  const Pupil& converted = Named("张明");
  ASSERT_EQ(Column(converted, "number_kind"), "G");
  IdSource others("110106", 2016);
  json body = StudentBody(PrimarySchool(), "周杰", others.Next(converted.gender), 3, "2");
  body["studentNumber"] = converted.number;
  HttpResponse r = http().PostJson("/api/v1/students", body);
  EXPECT_EQ(r.status, 409) << r.Describe();
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM student WHERE number_index = '" +
                             store().StudentNumberIndex(converted.number) + "'"),
            0);
}

// A verdict is about the ID and the name that were sent: an approved correction of either
// leaves the student unchecked, so that its new ID goes to the register before any G number
// is made of it.
// Disabled: fails today, applying a correction keeps population_check (registry/
// student_correction.cpp, kApplyToStudent), and convert-temporary makes G + the new ID.
TEST_P(PopulationTest, ACorrectedIdIsCheckedAgainBeforeConversion) {
  RegisterSim sim(store(), persons_, "ok");
  ASSERT_TRUE(Check(sim.Url()).status.Ok());
  const Pupil& pupil = Named("张明");
  ASSERT_EQ(Column(pupil, "population_check"), "match");
  // The school corrects the L student's ID (the birth date and sex it encodes unchanged);
  // the head of school and the county approve.
  const std::string school = PrimarySchool().code;
  const std::string new_id = MakeIdNumber("110105", "20160101", 901);
  HttpClient registrar = SchoolRegistrarClient(school);
  HttpResponse asked = registrar.PostJson("/api/v1/students/" + pupil.number + "/corrections",
                                          {{"idNumber", new_id},
                                           {"reason", "户籍登记身份证号与学籍不一致"},
                                           {"document", "户籍证明〔2026〕3号"}});
  ASSERT_EQ(asked.status, 202) << asked.Describe();
  json kase = asked.Json();
  ASSERT_TRUE(Approve("head." + school, "school_head", school, kase));
  ASSERT_TRUE(Approve("county." + school, "county_registrar", PrimarySchool().division, kase));
  ASSERT_EQ(store().QueryInt("SELECT COUNT(*) FROM student WHERE id_index = '" +
                             store().DocumentIndex(new_id) + "'"),
            1);
  EXPECT_EQ(store().QueryRows("SELECT population_check FROM student WHERE id_index = '" +
                              store().DocumentIndex(new_id) + "'"),
            (std::vector<std::vector<std::string>>{{""}}));
  RunResult converted = Convert();
  ASSERT_TRUE(converted.status.Ok()) << converted.Describe();
  EXPECT_NE(converted.out.find("已转为 G 字头学籍号 0 人"), std::string::npos) << converted.out;
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM student WHERE number_index = '" +
                             store().StudentNumberIndex("G" + new_id) + "'"),
            0)
      << "a G number made of an ID the register never saw";
}

TEST_P(PopulationTest, WithoutARegisterConfiguredNothingIsSent) {
  RunResult r = RunNemisOnStore({"registry", "population-check", "--db", store().url()});
  EXPECT_EQ(r.status.code, 2) << r.Describe();
  EXPECT_NE(r.err.find("population.url"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not_configured"), std::string::npos) << r.err;
  RunResult no_token = Check("http://127.0.0.1:9/verify", {},
                             {{"population.token_file", store().File("no-such-token")}});
  EXPECT_EQ(no_token.status.code, 2) << no_token.Describe();
  EXPECT_NE(no_token.err.find("population.token_file"), std::string::npos) << no_token.err;
  RunResult no_org = Check("http://127.0.0.1:9/verify", {"--org", "999999"});
  EXPECT_EQ(no_org.status.code, 2) << no_org.Describe();
  EXPECT_EQ(Kept(), NoneKept());
}

TEST_P(PopulationTest, AnUnreachableOrUnavailableRegisterIsPeerUnavailable) {
  RegisterSim gone(store(), persons_, "ok");
  gone.Kill();
  RunResult closed = Check(gone.Url());
  EXPECT_EQ(closed.status.code, 1) << closed.Describe();
  EXPECT_NE(closed.err.find("（peer_unavailable）"), std::string::npos) << closed.err;

  RegisterSim down(store(), persons_, "unavailable");
  RunResult busy = Check(down.Url());
  EXPECT_EQ(busy.status.code, 1) << busy.Describe();
  EXPECT_NE(busy.err.find("HTTP 503"), std::string::npos) << busy.err;
  EXPECT_NE(busy.err.find("（peer_unavailable）"), std::string::npos) << busy.err;

  RegisterSim slow(store(), persons_, "slow");  // answers after 3 s (the sim's --delay-ms)
  RunResult timed_out = Check(slow.Url(), {}, {{"population.timeout_ms", "300"}});
  EXPECT_EQ(timed_out.status.code, 1) << timed_out.Describe();
  EXPECT_NE(timed_out.err.find("（peer_unavailable）"), std::string::npos) << timed_out.err;

  EXPECT_EQ(Kept(), NoneKept());
  // Audited all the same: the IDs of the first request may have reached the register.
  const std::vector<json> audited = store().AuditDetails("registry.population_check");
  ASSERT_EQ(audited.size(), 3u);
  for (const json& d : audited) EXPECT_FALSE(d.value("finished", true)) << d.dump();
}

TEST_P(PopulationTest, TheRegisterRefusesAWrongTokenOrPath) {
  RegisterSim sim(store(), persons_, "ok", "tok-2026-Ab9");
  const std::string wrong = store().File("wrong.token"), right = store().File("right.token");
  WriteFile(wrong, "tok-2025-Ab9\n");
  WriteFile(right, "tok-2026-Ab9\n");  // the newline is not part of the token

  RunResult none = Check(sim.Url());
  EXPECT_EQ(none.status.code, 1) << none.Describe();
  EXPECT_NE(none.err.find("HTTP 401"), std::string::npos) << none.err;
  EXPECT_NE(none.err.find("（peer_refused）"), std::string::npos) << none.err;
  RunResult refused = Check(sim.Url(), {}, {{"population.token_file", wrong}});
  EXPECT_EQ(refused.status.code, 1) << refused.Describe();
  EXPECT_NE(refused.err.find("（peer_refused）"), std::string::npos) << refused.err;
  RunResult wrong_path = Check(sim.Url("/lookup"), {}, {{"population.token_file", right}});
  EXPECT_EQ(wrong_path.status.code, 1) << wrong_path.Describe();
  EXPECT_NE(wrong_path.err.find("（peer_refused）"), std::string::npos) << wrong_path.err;
  EXPECT_EQ(Kept(), NoneKept());

  RunResult accepted = Check(sim.Url(), {}, {{"population.token_file", right}});
  ASSERT_TRUE(accepted.status.Ok()) << accepted.Describe();
  EXPECT_EQ(Kept(), Expected());
}

TEST_P(PopulationTest, AnAnswerNotOfTheInterfaceIsBadAnswerAndKeepsNothing) {
  RegisterSim garbage(store(), persons_, "garbage");
  RunResult not_json = Check(garbage.Url());
  EXPECT_EQ(not_json.status.code, 1) << not_json.Describe();
  EXPECT_NE(not_json.err.find("（bad_answer）"), std::string::npos) << not_json.err;

  RegisterSim odd(store(), persons_, "bad_verdict");
  RunResult unknown_verdict = Check(odd.Url());
  EXPECT_EQ(unknown_verdict.status.code, 1) << unknown_verdict.Describe();
  EXPECT_NE(unknown_verdict.err.find("待核实"), std::string::npos) << unknown_verdict.err;
  EXPECT_NE(unknown_verdict.err.find("（bad_answer）"), std::string::npos) << unknown_verdict.err;

  EXPECT_EQ(Kept(), NoneKept());
  EXPECT_EQ(garbage.Requests(), std::vector<int>{2}) << "stopped at the first bad answer";
  EXPECT_EQ(odd.Requests(), std::vector<int>{2});
}

TEST_P(PopulationTest, PersonsLeftUnansweredStayUncheckedAndAreAskedNextTime) {
  // The register answers all but the last person of each request: 李华, 赵强, 刘洋.
  RegisterSim partial(store(), persons_, "partial");
  RunResult first = Check(partial.Url());
  ASSERT_TRUE(first.status.Ok()) << first.Describe();
  EXPECT_NE(first.out.find("发送 6 人，未获答复 3；一致 2，查无此人 1，姓名不符 0"),
            std::string::npos)
      << first.out;
  EXPECT_EQ(Kept(), (std::map<std::string, std::string>{{"张明", "match"},
                                                        {"李华", ""},
                                                        {"王芳", "unknown"},
                                                        {"赵强", ""},
                                                        {"陈静", "match"},
                                                        {"刘洋", ""}}));
  RegisterSim sim(store(), persons_, "ok");
  RunResult rest = Check(sim.Url());
  ASSERT_TRUE(rest.status.Ok()) << rest.Describe();
  EXPECT_NE(rest.out.find("发送 4 人，未获答复 0；一致 1，查无此人 2，姓名不符 1"),
            std::string::npos)
      << rest.out;
  EXPECT_EQ(Kept(), Expected());
}

TEST_P(PopulationTest, ARunCutShortKeepsTheBatchesAnswered) {
  // The register answers one request, then refuses (its quota used up).
  RegisterSim quota(store(), persons_, "forbidden_after:1");
  RunResult cut = Check(quota.Url());
  EXPECT_EQ(cut.status.code, 1) << cut.Describe();
  EXPECT_NE(cut.err.find("HTTP 403"), std::string::npos) << cut.err;
  EXPECT_NE(cut.err.find("（peer_refused）"), std::string::npos) << cut.err;
  EXPECT_EQ(quota.Requests(), (std::vector<int>{2, 2}));
  const std::vector<json> audited = store().AuditDetails("registry.population_check");
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_FALSE(audited[0].value("finished", true)) << audited[0].dump();
  // Both requests left the node, the refused one included.
  EXPECT_EQ(audited[0].value("sent", int64_t{-2}), 4) << audited[0].dump();
  EXPECT_NE(cut.out.find("比对中断：发送 4 人"), std::string::npos) << cut.out;
  EXPECT_EQ(Kept(), (std::map<std::string, std::string>{{"张明", "match"},
                                                        {"李华", "name_mismatch"},
                                                        {"王芳", ""},
                                                        {"赵强", ""},
                                                        {"陈静", ""},
                                                        {"刘洋", ""}}));
  // The next run asks for everyone not found 一致: 李华 again and the four never answered.
  RegisterSim sim(store(), persons_, "ok");
  RunResult rest = Check(sim.Url());
  ASSERT_TRUE(rest.status.Ok()) << rest.Describe();
  EXPECT_NE(rest.out.find("发送 5 人，未获答复 0；一致 2，查无此人 2，姓名不符 1"),
            std::string::npos)
      << rest.out;
  EXPECT_EQ(sim.Requests(), (std::vector<int>{2, 2, 1}));
  EXPECT_EQ(Kept(), Expected());
}

NEMIS_IT_BOTH_BACKENDS(PopulationTest);

}  // namespace
}  // namespace nemis::it
