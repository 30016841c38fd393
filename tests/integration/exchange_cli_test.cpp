// The offline exchange on the command line, as two data centres' operators run it: the
// national node makes its CA, a province makes its key and installs the certificate the
// national node issues, exports its changes to a bundle, and the national node imports it
// (once, however often it is imported); a bundle changed on the way, or from a revoked node,
// is refused with the line and the reason.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "exchange_nodes.hpp"

namespace nemis::it {
namespace {

class ExchangeCliTest : public ExchangeNodesTest {
 protected:
  // The province's batches cover 200 log rows: a bundle of several.
  Settings Province() {
    Settings s = ExchangeNodesTest::Province();
    s["exchange.batch_changes"] = "200";
    return s;
  }

  static int64_t Number(const std::string& text, const std::string& before) {
    std::smatch m;
    if (!std::regex_search(text, m, std::regex("(\\d+) " + before))) return -1;
    return std::stoll(m[1]);
  }
};

TEST_F(ExchangeCliTest, AProvinceBundleIsImportedOnceAndRefusedWhenChanged) {
  Enrol();
  Ok({"gen", "--students", "600", "--seed", "3", "--db", "sqlite:" + dir_.File("province.db")},
     Province());
  RunResult exported = Ok({"exchange", "export", "--after", "0", "--to", dir_.File("b.bundle"),
                           "--receiver", dir_.File("national-keys/node.crt")},
                          Province());
  const int64_t batches = Number(exported.out, "个批次");
  const int64_t records = Number(exported.out, "条记录");
  EXPECT_GE(batches, 3) << exported.Describe();    // 200 log rows a batch
  EXPECT_GT(records, 600) << exported.Describe();  // the students and their schools

  // Changed on the way: one character of the second batch's sealed payload.
  std::string text = ReadFile(dir_.File("b.bundle"));
  std::vector<std::string> lines;
  for (size_t at = 0, end; (end = text.find('\n', at)) != std::string::npos; at = end + 1)
    lines.push_back(text.substr(at, end - at));
  nlohmann::json batch = nlohmann::json::parse(lines.at(2));
  std::string payload = batch["payload"];
  payload[40] = payload[40] == 'A' ? 'B' : 'A';
  batch["payload"] = payload;
  std::string tampered;
  for (size_t i = 0; i < lines.size(); ++i) tampered += (i == 2 ? batch.dump() : lines[i]) + "\n";
  WriteFile(dir_.File("tampered.bundle"), tampered);
  RunResult refused = RunNemis({"exchange", "import", dir_.File("tampered.bundle")}, National());
  EXPECT_EQ(refused.status.code, 1) << refused.Describe();
  EXPECT_NE(refused.err.find("第 3 行"), std::string::npos) << refused.Describe();
  EXPECT_NE(refused.err.find("batch_signature_invalid"), std::string::npos) << refused.Describe();

  RunResult imported = Ok({"exchange", "import", dir_.File("b.bundle")}, National());
  EXPECT_EQ(Number(imported.out, "条记录"), records) << imported.Describe();
  EXPECT_EQ(Number(imported.out, "个此前已导入"), 0) << imported.Describe();
  RunResult again = Ok({"exchange", "import", dir_.File("b.bundle")}, National());
  EXPECT_EQ(Number(again.out, "个此前已导入"), batches) << again.Describe();
  EXPECT_EQ(Number(again.out, "条记录"), 0) << again.Describe();
  // Compressed, the same batches in a fraction of the size, applied already.
  Ok({"exchange", "export", "--after", "0", "--to", dir_.File("c.bundle"), "--receiver",
      dir_.File("national-keys/node.crt"), "--compress"},
     Province());
  EXPECT_LT(ReadFile(dir_.File("c.bundle")).size() * 3, text.size());
  RunResult compressed = Ok({"exchange", "import", dir_.File("c.bundle")}, National());
  EXPECT_EQ(Number(compressed.out, "个此前已导入"), batches) << compressed.Describe();

  Ok({"node", "revoke", "--code", "440000"}, National());
  RunResult revoked = RunNemis({"exchange", "import", dir_.File("b.bundle")}, National());
  EXPECT_EQ(revoked.status.code, 1) << revoked.Describe();
  EXPECT_NE(revoked.err.find("node_revoked"), std::string::npos) << revoked.Describe();
}

TEST_F(ExchangeCliTest, ANodeIsNotInitialisedTwiceAndABadRoleIsAUsageError) {
  Ok({"node", "init"}, National());
  RunResult twice = RunNemis({"node", "init"}, National());
  EXPECT_EQ(twice.status.code, 1) << twice.Describe();
  EXPECT_NE(twice.err.find("node_exists"), std::string::npos) << twice.Describe();
  RunResult role = RunNemis({"node", "init", "--role", "county"}, Province());
  EXPECT_EQ(role.status.code, 2) << role.Describe();
  RunResult code = RunNemis({"node", "init", "--code", "440100"}, Province());
  EXPECT_EQ(code.status.code, 2) << code.Describe();
  RunResult no_identity = RunNemis({"exchange", "import", dir_.File("none.bundle")}, Province());
  EXPECT_EQ(no_identity.status.code, 2) << no_identity.Describe();
  EXPECT_NE(no_identity.err.find("nemis node init"), std::string::npos) << no_identity.Describe();
}

// The bulk export for older local systems: a province's students in the roster format, read
// back by the ordinary import into a store that has none of its schools (the file registers
// them), give the same file again; the institutions export as JSON lines; the file is the
// owner's only, never overwritten, and the export is audited.
TEST_F(ExchangeCliTest, AStudentDumpImportsBackIntoAnotherStoreUnchanged) {
  const std::string first_store = "sqlite:" + dir_.File("province.db");
  Ok({"gen", "--students", "300", "--seed", "5", "--db", first_store}, Province());
  RunResult dumped = Ok({"exchange", "dump", "--table", "students", "--format", "csv", "--to",
                         dir_.File("students.csv")},
                        Province());
  EXPECT_NE(dumped.out.find("已导出 300 行"), std::string::npos) << dumped.Describe();
  const std::string csv = ReadFile(dir_.File("students.csv"));
  ASSERT_TRUE(csv.starts_with("\xEF\xBB\xBF学籍号,姓名,性别,出生日期,民族")) << csv.substr(0, 200);
  EXPECT_NE(csv.find("学生当前状态\r\n"), std::string::npos);
  EXPECT_EQ(std::filesystem::status(dir_.File("students.csv")).permissions() &
                (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  // Never overwritten.
  RunResult again = RunNemis({"exchange", "dump", "--to", dir_.File("students.csv")}, Province());
  EXPECT_EQ(again.status.code, 2) << again.Describe();

  // Another node (another province's keys), none of the schools: the import registers them.
  Settings other = Province();
  other["store.url"] = "sqlite:" + dir_.File("other.db");
  other["security.field_key_file"] = dir_.File("other.keys");
  RunResult imported = Ok(
      {"import", "students", dir_.File("students.csv"), "--db", "sqlite:" + dir_.File("other.db")},
      other);
  EXPECT_NE(imported.out.find("300 名学生已登记"), std::string::npos) << imported.Describe();
  Ok({"exchange", "dump", "--to", dir_.File("again.csv")}, other);
  // The same rows (the import may register them in another order).
  const auto sorted_lines = [](const std::string& text) {
    std::vector<std::string> lines;
    for (size_t at = 0, end; (end = text.find("\r\n", at)) != std::string::npos; at = end + 2)
      lines.push_back(text.substr(at, end - at));
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  const auto before = sorted_lines(csv), after = sorted_lines(ReadFile(dir_.File("again.csv")));
  EXPECT_EQ(before.size(), 301u);
  EXPECT_TRUE(before == after) << "the dump of the imported store differs from the first dump";

  // A county's institutions as JSON lines.
  Ok({"exchange", "dump", "--table", "institutions", "--org", "440106", "--format", "json", "--to",
      dir_.File("orgs.jsonl")},
     Province());
  const std::string lines = ReadFile(dir_.File("orgs.jsonl"));
  ASSERT_FALSE(lines.empty());
  nlohmann::json first = nlohmann::json::parse(lines.substr(0, lines.find('\n')));
  EXPECT_EQ(first["机构代码"], "440106");
  EXPECT_EQ(first["层级"], "county");
  RunResult bad =
      RunNemis({"exchange", "dump", "--table", "accounts", "--to", dir_.File("x")}, Province());
  EXPECT_EQ(bad.status.code, 2) << bad.Describe();
}

// The province's calls to the national node need to know where it is: without --national or
// exchange.national, each says so (a usage error), and an unreachable one is a failure naming it.
TEST_F(ExchangeCliTest, CallsToTheNationalNodeNeedItsAddress) {
  Enrol();
  if (HasFatalFailure()) return;
  for (const char* command : {"poll", "conflicts", "recover"}) {
    RunResult r = RunNemis({"exchange", command}, Province());
    EXPECT_EQ(r.status.code, 2) << command << ": " << r.Describe();
    EXPECT_NE(r.err.find("exchange.national 指明国家节点（not_configured）"), std::string::npos)
        << command << ": " << r.Describe();
  }
  RunResult tls = RunNemis({"node", "tls"}, Province());
  EXPECT_EQ(tls.status.code, 2) << tls.Describe();
  EXPECT_NE(tls.err.find("exchange.national 指明国家节点（not_configured）"), std::string::npos)
      << tls.Describe();
  RunResult unreachable =
      RunNemis({"exchange", "recover", "--national", "http://127.0.0.1:9"}, Province());
  EXPECT_EQ(unreachable.status.code, 1) << unreachable.Describe();
  EXPECT_NE(unreachable.err.find("peer_unavailable"), std::string::npos) << unreachable.Describe();
  EXPECT_NE(unreachable.out.find("学生恢复 0 名"), std::string::npos) << unreachable.Describe();
}

}  // namespace
}  // namespace nemis::it
