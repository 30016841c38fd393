// The record-quality scan end to end on both stores: `nemis gen --plant-duplicates`
// plants second registrations, `nemis import` loads them, `nemis registry scan` finds
// every planted pair, by the kind its form calls for, and no other pair at the default
// threshold; the stored details name nobody; a rescan changes nothing; and the usage
// errors of both commands.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "fixture.hpp"

namespace nemis::it {
namespace {

class QualityScanTest : public ServerTest {
 protected:
  struct Planted {
    std::string form, key;
  };

  // The planted pairs of the truth file, each as its finding key ("pair:<lower>:<higher>").
  std::vector<Planted> ReadTruth(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);  // header
    std::vector<Planted> out;
    while (std::getline(in, line)) {
      std::vector<std::string> f;
      std::stringstream fields(line);
      for (std::string cell; std::getline(fields, cell, ',');) f.push_back(cell);
      EXPECT_EQ(f.size(), 9u) << line;
      if (f.size() != 9) continue;
      int64_t original = store().QueryInt("SELECT id FROM student WHERE id_index = '" +
                                          store().DocumentIndex(f[5]) + "'");
      const std::string copy_where = " FROM student WHERE school_code = '" + f[4] +
                                     "' AND name = '" + f[6] + "' AND birth_date = '" + f[7] +
                                     "' AND gender = " + f[8];
      EXPECT_EQ(store().QueryInt("SELECT COUNT(*)" + copy_where), 1) << line;
      int64_t copy = store().QueryInt("SELECT MIN(id)" + copy_where);
      out.push_back({f[0], "pair:" + std::to_string(std::min(original, copy)) + ":" +
                               std::to_string(std::max(original, copy))});
    }
    return out;
  }

  std::map<std::string, std::string> StoredPairs() {  // finding key -> kind
    std::map<std::string, std::string> out;
    for (const auto& row : store().QueryRows(
             "SELECT finding_key, kind FROM problem_record WHERE other_id IS NOT NULL"))
      out[row[0]] = row[1];
    return out;
  }
};

TEST_P(QualityScanTest, FindsEveryPlantedDuplicateAndNoCleanPair) {
  const std::string roster = store().File("planted.csv");
  RunResult gen = RunNemisOnStore(
      {"gen", "--students", "3000", "--seed", "5", "--plant-duplicates", "40", "--out", roster});
  ASSERT_TRUE(gen.status.Ok()) << gen.Describe();
  RunResult imported = Import(roster);
  ASSERT_TRUE(imported.status.Ok()) << imported.Describe();
  ASSERT_EQ(store().CountStudents(), 3040);
  RunResult scan = RunNemisOnStore({"registry", "scan", "--db", store().url(), "--by-school"});
  ASSERT_TRUE(scan.status.Ok()) << scan.Describe();
  EXPECT_NE(scan.out.find("扫描完成：学生 3040"), std::string::npos) << scan.out;

  std::vector<Planted> planted = ReadTruth(roster + ".planted.csv");
  ASSERT_EQ(planted.size(), 40u);
  const std::map<std::string, std::string> kind_of_form = {{"exact", "same_name_birth"},
                                                           {"homophone", "similar_name"},
                                                           {"typo", "similar_name"},
                                                           {"guardian", "same_guardian_name"}};
  std::map<std::string, std::string> expected;
  for (const Planted& p : planted) expected[p.key] = kind_of_form.at(p.form);
  EXPECT_EQ(StoredPairs(), expected);

  // The details are codes: no name of a planted copy (nor any Han character) in them.
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM problem_record WHERE details LIKE '%小%' OR "
                             "details LIKE '%明%'"),
            0);
  // A rescan finds the same and adds nothing.
  RunResult again = RunNemisOnStore({"registry", "scan", "--db", store().url()});
  ASSERT_TRUE(again.status.Ok()) << again.Describe();
  EXPECT_NE(again.out.find("新增问题 0，已消除 0"), std::string::npos) << again.out;
  EXPECT_EQ(StoredPairs(), expected);
}

TEST_P(QualityScanTest, UsageErrors) {
  RunResult unknown =
      RunNemisOnStore({"registry", "scan", "--db", store().url(), "--org", "999999"});
  EXPECT_EQ(unknown.status.code, 2) << unknown.Describe();
  EXPECT_NE(unknown.err.find("机构 999999"), std::string::npos) << unknown.err;
  RunResult no_file = RunNemisOnStore(
      {"gen", "--students", "100", "--plant-duplicates", "5", "--db", store().url()});
  EXPECT_EQ(no_file.status.code, 2) << no_file.Describe();
  EXPECT_NE(no_file.err.find("--plant-duplicates 须与 --out"), std::string::npos) << no_file.err;
  RunResult too_many = RunNemisOnStore(
      {"gen", "--students", "100", "--plant-duplicates", "26", "--out", store().File("x.csv")});
  EXPECT_EQ(too_many.status.code, 1) << too_many.Describe();
  EXPECT_NE(too_many.err.find("不能超过学生总数的四分之一"), std::string::npos) << too_many.err;
  EXPECT_LE(store().CountStudents(), 0) << "nothing imported";
}

// The population register's verdicts: a file with a bad row keeps nothing and names the
// line; a good one keeps its verdicts and the next scan reports the one 查无此人.
TEST_P(QualityScanTest, PopulationVerdictsFromAFile) {
  const std::string roster = store().File("roster.csv");
  RunResult gen = RunNemisOnStore({"gen", "--students", "200", "--seed", "7", "--out", roster});
  ASSERT_TRUE(gen.status.Ok()) << gen.Describe();
  ASSERT_TRUE(Import(roster).status.Ok());
  // Two students with a resident ID, as the roster names them.
  std::ifstream in(roster);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::stringstream head(line);
  for (std::string cell; std::getline(head, cell, ',');) header.push_back(cell);
  const auto column = [&](const std::string& name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const size_t id_at = column("身份证件号"), name_at = column("姓名");
  std::vector<std::pair<std::string, std::string>> people;  // (ID, name)
  while (people.size() < 2 && std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) f.push_back(cell);
    if (f.size() > id_at && f[id_at].size() == 18) people.emplace_back(f[id_at], f[name_at]);
  }
  ASSERT_EQ(people.size(), 2u);

  const std::string bad = store().File("bad-verdicts.csv");
  std::ofstream(bad) << "身份证件号,姓名,核查结果\n"
                     << people[0].first << "," << people[0].second << ",不详\n";
  RunResult refused =
      RunNemisOnStore({"registry", "population-verdicts", bad, "--db", store().url()});
  EXPECT_EQ(refused.status.code, 2) << refused.Describe();
  EXPECT_NE(refused.err.find("第 2 行，核查结果"), std::string::npos) << refused.err;
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM student WHERE population_check IS NOT NULL"), 0);

  const std::string good = store().File("verdicts.csv");
  std::ofstream(good) << "身份证件号,姓名,核查结果\n"
                      << people[0].first << "," << people[0].second << ",查无此人\n"
                      << people[1].first << "," << people[1].second << ",一致\n";
  RunResult kept =
      RunNemisOnStore({"registry", "population-verdicts", good, "--db", store().url()});
  ASSERT_TRUE(kept.status.Ok()) << kept.Describe();
  EXPECT_NE(kept.out.find("一致 1，查无此人 1，姓名不符 0"), std::string::npos) << kept.out;
  RunResult scan = RunNemisOnStore({"registry", "scan", "--db", store().url()});
  ASSERT_TRUE(scan.status.Ok()) << scan.Describe();
  EXPECT_NE(scan.out.find("population_check,人口信息比对未通过：查无此人或姓名不符,1"),
            std::string::npos)
      << scan.out;
}

NEMIS_IT_BOTH_BACKENDS(QualityScanTest);

}  // namespace
}  // namespace nemis::it
