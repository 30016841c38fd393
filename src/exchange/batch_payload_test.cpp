// A batch payload is written byte for byte as nlohmann's DOM dumps it, and the fast reader
// never accepts what the DOM reader refuses nor reads anything differently: it reads what
// the writer writes and declines the rest (escapes, unknown fields, institutions ...), which
// the DOM reader then reads or refuses with the record and field named.
#include "exchange/batch_payload.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "testing/result_matchers.hpp"

namespace nemis::exchange {
namespace {

registry::Student WholeStudent() {
  registry::Student s;
  s.student_number = "G440103201409150023";
  s.number_kind = 'G';
  s.id_type = "1";
  s.id_number = "440103201409150023";
  s.name = "陈思远𠀀";  // a character outside the BMP: four bytes of UTF-8
  s.gender = 1;
  s.birth_date = "2014-09-15";
  s.ethnicity = "01";
  s.nationality = "156";
  s.overseas = "0";
  s.hukou_type = "1";
  s.category = "1";
  s.entry_method = "1";
  s.disability_type = "0";
  s.boarding = 1;
  s.left_behind = 1;
  s.migrant_child = 0;
  s.orphan = 0;
  s.martyr_child = 0;
  s.in_regular_class = 1;
  s.guardian1 = {"陈建国", "51", "440103198001010011", "13800000000"};
  s.guardian2 = {std::nullopt, "52", std::nullopt, std::nullopt};
  s.enrolment.school_code = "4401031001";
  s.enrolment.province_code = "440000";
  s.enrolment.city_code = "440100";
  s.enrolment.county_code = "440103";
  s.enrolment.stage = "21";
  s.enrolment.grade = 4;
  s.enrolment.grade_mark = 9'000'000'000;
  s.enrolment.class_no = "四(2)班";
  s.enrolment.entry_date = "2020-09";
  s.enrolment.status = "01";
  s.created_at = "2020-09-01T08:00:00Z";
  s.updated_at = "2026-12-07T10:00:00Z";
  return s;
}

// Every optional field absent, both guardians empty, the lowest grade.
registry::Student BareStudent() {
  registry::Student s;
  s.student_number = "L4401032021000001";
  s.number_kind = 'L';
  s.name = "王小";
  s.birth_date = "2021-03-01";
  s.ethnicity = "01";
  s.enrolment.school_code = "4401031002";
  s.enrolment.province_code = "440000";
  s.enrolment.stage = "11";
  s.enrolment.grade = -2;
  s.enrolment.class_no = "1";
  s.enrolment.entry_date = "2024-09";
  s.created_at = "2024-09-01T08:00:00Z";
  s.updated_at = "2024-09-01T08:00:00Z";
  return s;
}

// Every character JSON must escape, and the one it need not (DEL).
registry::Student EscapedStudent() {
  registry::Student s = BareStudent();
  for (int c = 1; c < 0x20; ++c) s.enrolment.class_no += static_cast<char>(c);
  s.name = "名\"引\\号\x7f";
  s.guardian1.name = "tab\tand\nnewline";
  return s;
}

org::ReplicaInstitution School() {
  org::ReplicaInstitution r;
  r.institution.code = "4401031001";
  r.institution.level = org::OrgLevel::kSchool;
  r.institution.parent_code = "440103";
  r.institution.name = "广州市越秀区示范小学";
  r.institution.open = true;
  r.institution.province_code = "440000";
  r.institution.longitude = 113.2644;
  r.institution.latitude = 23.1291;
  r.institution.created_at = "2020-01-01T00:00:00Z";
  r.promotions = 3;
  r.promoted_year = 2026;
  return r;
}

std::vector<ChangeRecord> Students() {
  return {{17, WholeStudent()}, {18, BareStudent()}, {25, EscapedStudent()}};
}

std::string DomDump(const std::vector<ChangeRecord>& records) {
  nlohmann::json array = nlohmann::json::array();
  for (const ChangeRecord& r : records) array.push_back(RecordToJson(r));
  return nlohmann::json{{"records", array}}.dump();
}

// What a reader made of a payload, comparable: each record's sequence and crossing form.
std::vector<std::string> Read(const std::vector<ChangeRecord>& records) {
  std::vector<std::string> out;
  out.reserve(records.size());
  for (const ChangeRecord& r : records) out.push_back(std::to_string(r.seq) + CanonicalRecord(r));
  return out;
}

TEST(BatchPayloadTest, WritesByteForByteWhatTheDomDumps) {
  std::vector<ChangeRecord> records = Students();
  records.insert(records.begin(), ChangeRecord{3, School()});
  EXPECT_EQ(WritePayload(records), DomDump(records));
  EXPECT_EQ(WritePayload({}), R"({"records":[]})");
}

TEST(BatchPayloadTest, TextNotUtf8IsRefusedAsTheDomRefusesIt) {
  registry::Student s = BareStudent();
  s.guardian2.relation = "\xe4\xb8";  // a character cut short
  EXPECT_THROW(WritePayload({{1, s}}), nlohmann::json::type_error);
}

TEST(BatchPayloadTest, TheFastReaderReadsWhatTheWriterWritesWithoutEscapes) {
  const std::vector<ChangeRecord> plain = {{17, WholeStudent()}, {18, BareStudent()}};
  const auto fast = internal::ReadStudentsFast(WritePayload(plain), 2);
  ASSERT_TRUE(fast.has_value());
  EXPECT_EQ(Read(*fast), Read(plain));
  const auto& whole = std::get<registry::Student>((*fast)[0].value);
  EXPECT_EQ(whole.name, "陈思远𠀀");
  EXPECT_EQ(whole.enrolment.grade_mark, 9'000'000'000);
  EXPECT_EQ(whole.guardian1.name, "陈建国");
  EXPECT_FALSE(whole.guardian1.id_number.has_value());  // a guardian's document stays home
  EXPECT_EQ(std::get<registry::Student>((*fast)[1].value).enrolment.grade, -2);
}

TEST(BatchPayloadTest, PayloadsTheFastReaderDeclinesReadTheSame) {
  std::vector<ChangeRecord> mixed = Students();
  mixed.insert(mixed.begin(), ChangeRecord{3, School()});
  for (const std::vector<ChangeRecord>& records :
       {Students(), mixed, std::vector<ChangeRecord>{{25, EscapedStudent()}}}) {
    const std::string payload = WritePayload(records);
    const auto count = static_cast<int64_t>(records.size());
    EXPECT_FALSE(internal::ReadStudentsFast(payload, count).has_value());
    auto read = ReadPayload(payload, count);
    ASSERT_THAT(read, testing::IsOk());
    EXPECT_EQ(Read(*read), Read(records));
  }
}

// Text a node's writer does not make: the fast reader reads some of it, declines the rest,
// and reads nothing the DOM reads otherwise.
TEST(BatchPayloadTest, TheFastReaderTakesOnlyWhatItWhollyFollows) {
  const std::string bare = R"({"entity":"student","seq":9,"student":{"birthDate":"2021-03-01",)"
                           R"("classNo":"1","createdAt":"t","entryDate":"2024-09",)"
                           R"("ethnicity":"01","gender":0,"grade":-2,"gradeMark":0,)"
                           R"("inRegularClass":0,"leftBehind":0,"martyrChild":0,)"
                           R"("migrantChild":0,"name":"王小","nationality":"156",)"
                           R"("numberKind":"L","orphan":0,"provinceCode":"440000",)"
                           R"("schoolCode":"4401031002","stage":"11","status":"01",)"
                           R"("studentNumber":"L1","updatedAt":"t")";
  const auto payload = [&](std::string_view extra) {
    return R"({"records":[)" + bare + std::string(extra) + "}}]}";
  };
  struct Case {
    std::string text;
    bool fast;
  };
  const std::vector<Case> cases = {
      {payload(""), true},
      {payload(R"(,"boarding":null,"guardian1":{"name":null,"relation":"51"})"), true},
      {payload(R"(,"idType":"1","countyCode":"440103")"), true},  // out of order
      {R"( { "records" : [ )" + bare + R"( } } ] } )", true},
      {payload(R"(,"nickname":"x")"), false},    // a field it does not know
      {payload(R"(,"name":"王大")"), false},     // a field twice
      {payload(R"(,"guardian2":"51")"), false},  // a guardian not an object
      {payload(R"(,"guardian1":{"phone":"1"})"), false},
      {payload(R"(,"boarding":1.0)"), false},
      {payload(R"(,"category":"\u0031")"), false},  // an escape
      {payload(R"(,"grade":4294967296)"), false},   // beyond an int
      {payload(R"(,"idType":1)"), false},           // a wrong type: the DOM names it
      {payload("") + " x", false},
      {R"({"records":[)" + bare + "}}],\"more\":1}", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const auto fast = internal::ReadStudentsFast(c.text, 1);
    EXPECT_EQ(fast.has_value(), c.fast);
    if (!fast) continue;
    auto dom = internal::ReadWithDom(c.text, 1);
    ASSERT_THAT(dom, testing::IsOk());
    EXPECT_EQ(Read(*fast), Read(*dom));
  }
}

TEST(BatchPayloadTest, RefusalsNameTheRecordAndTheField) {
  const std::string one = WritePayload({{17, WholeStudent()}});
  const std::string two = WritePayload({{17, WholeStudent()}, {18, BareStudent()}});
  EXPECT_THAT(ReadPayload(one, 2), testing::IsErrorCode("bad_batch"));
  EXPECT_EQ(ReadPayload(one, 2).error().message, "批次记录数与批次头不一致");
  EXPECT_EQ(ReadPayload("[]", 0).error().message, "批次内容不是 {\"records\": [...]}");
  EXPECT_EQ(ReadPayload(one.substr(1), 1).error().message, "批次内容不是 {\"records\": [...]}");

  std::string missing = two;
  const std::string bare_name = R"("name":"王小",)";
  missing.erase(missing.find(bare_name), bare_name.size());
  EXPECT_EQ(ReadPayload(missing, 2).error().message, "批次第 2 条记录缺少或错误的字段 name");
  std::string wrong = two;
  wrong.replace(wrong.find(R"("gender":1)"), 10, R"("gender":"1")");
  EXPECT_EQ(ReadPayload(wrong, 2).error().message, "批次第 1 条记录缺少或错误的字段 gender");
}

// Random single-byte changes of a payload: whatever the fast reader takes, the DOM reader
// takes too and reads the same.
TEST(BatchPayloadTest, NoChangedPayloadIsReadDifferently) {
  const std::string payload = WritePayload({{17, WholeStudent()}, {18, BareStudent()}});
  const std::string alphabet = "\"\\{}[],: \t0-9.eEnul\x80\xbf\xc3\xe4\xed\xf0\xf4\xff";
  std::mt19937 random(20261207);
  int taken = 0, declined = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text = payload;
    const size_t at = random() % text.size();
    const char c = alphabet[random() % alphabet.size()];
    switch (random() % 3) {
      case 0:
        text[at] = c;
        break;
      case 1:
        text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
        break;
      default:
        text.erase(at, 1);
    }
    const auto fast = internal::ReadStudentsFast(text, 2);
    if (!fast) {
      ++declined;
      continue;
    }
    ++taken;
    auto dom = internal::ReadWithDom(text, 2);
    ASSERT_THAT(dom, testing::IsOk()) << text;
    ASSERT_EQ(Read(*fast), Read(*dom)) << text;
  }
  EXPECT_GT(taken, 100);  // whitespace, changed letters and digits within values
  EXPECT_GT(declined, 1000);
}

}  // namespace
}  // namespace nemis::exchange
