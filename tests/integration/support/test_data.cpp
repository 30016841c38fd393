#include "test_data.hpp"

#include <gtest/gtest.h>
#include <iconv.h>

#include <chrono>
#include <stdexcept>

#include "process.hpp"

namespace nemis::it {

char IdCheckCharacter(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kMap[] = "10X98765432";
  if (first17.size() != 17) throw std::invalid_argument("IdCheckCharacter needs 17 digits");
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kMap[sum % 11];
}

std::string MakeIdNumber(std::string_view region, std::string_view birth, int sequence) {
  char seq[4];
  std::snprintf(seq, sizeof seq, "%03d", sequence);
  std::string first17 = std::string(region) + std::string(birth) + seq;
  return first17 + IdCheckCharacter(first17);
}

std::string CorruptCheckCharacter(const std::string& id) {
  std::string out = id;
  out[17] = id[17] == '0' ? '1' : '0';
  return out;
}

IdSource::Person IdSource::Next(int gender) {
  using namespace std::chrono;
  int n = next_++;
  sys_days day = sys_days(year{start_year_} / January / 1) + days(n / 400);
  year_month_day ymd(day);
  char birth[16];
  std::snprintf(birth, sizeof birth, "%04d%02u%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  int sequence = 100 + 2 * (n % 400) + (gender == 1 ? 1 : 0);
  Person p;
  p.id_number = MakeIdNumber(region_, birth, sequence);
  p.birth_date =
      std::string(birth, 4) + "-" + std::string(birth + 4, 2) + "-" + std::string(birth + 6, 2);
  p.gender = gender;
  return p;
}

bool FollowsIdRules(std::string_view s) {
  if (s.size() != 18) return false;
  for (size_t i = 0; i < 17; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  if (IdCheckCharacter(s.substr(0, 17)) != s[17]) return false;
  using namespace std::chrono;
  int y = std::stoi(std::string(s.substr(6, 4)));
  unsigned m = static_cast<unsigned>(std::stoi(std::string(s.substr(10, 2))));
  unsigned d = static_cast<unsigned>(std::stoi(std::string(s.substr(12, 2))));
  return year_month_day(year{y}, month{m}, day{d}).ok();
}

namespace {

// `head` and `tail` characters kept, one star for each one between.
std::string StarMiddle(std::string_view text, size_t head, size_t tail) {
  if (text.size() <= head + tail) return std::string(text.size(), '*');
  return std::string(text.substr(0, head)) + std::string(text.size() - head - tail, '*') +
         std::string(text.substr(text.size() - tail));
}

}  // namespace

std::string MaskedDocument(std::string_view number) {
  if (number.size() >= 12) return StarMiddle(number, 4, 4);
  if (number.size() >= 6) return StarMiddle(number, 2, 2);
  return std::string(number.size(), '*');
}

std::string MaskedStudentNumber(std::string_view number) {
  if (!number.starts_with("G")) return std::string(number);
  return MaskedNumberInRecords(number);
}

std::string MaskedNumberInRecords(std::string_view number) {
  if (number.empty()) return std::string(number);
  return number.front() + MaskedDocument(number.substr(1));
}

nlohmann::json StudentBody(const School& school, const std::string& name,
                           const IdSource::Person& person, int grade, const std::string& class_no) {
  int entry_year = 2025 - (grade - 1);
  return {{"name", name},
          {"gender", person.gender},
          {"birthDate", person.birth_date},
          {"ethnicity", "01"},
          {"idNumber", person.id_number},
          {"schoolCode", school.code},
          {"grade", grade},
          {"classNo", class_no},
          {"entryDate", std::to_string(entry_year) + "-09"},
          {"guardian1Name", "监护人"},
          {"guardian1Relation", "1"}};
}

size_t Csv::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  throw std::out_of_range("no column " + std::string(name));
}

Csv ParseCsv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !field.empty()) {
        record.push_back(std::move(field));
        records.push_back(std::move(record));
      }
      record.clear();
      field.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || !field.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  Csv csv;
  if (!records.empty()) {
    csv.header = std::move(records.front());
    csv.rows.assign(std::make_move_iterator(records.begin() + 1),
                    std::make_move_iterator(records.end()));
  }
  return csv;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    const std::string& c = cells[i];
    if (c.find_first_of(",\"\r\n") == std::string::npos) {
      out += c;
      continue;
    }
    out += '"';
    for (char ch : c) {
      if (ch == '"') out += '"';
      out += ch;
    }
    out += '"';
  }
  return out + "\n";
}

const School& GenRoster::SchoolByCode(const std::string& code) const {
  for (const auto& s : schools)
    if (s.code == code) return s;
  throw std::out_of_range("no school " + code);
}

const School* GenRoster::FirstSchoolOfCategory(std::string_view category) const {
  for (const auto& s : schools)
    if (s.code.starts_with(category)) return &s;
  return nullptr;
}

GenRoster GenerateRoster(const std::string& dir, int students, int seed, const std::string& name,
                         bool parse) {
  GenRoster roster;
  roster.students_path = dir + "/" + name + ".csv";
  roster.schools_path = dir + "/" + name + "-schools.csv";
  RunResult r =
      RunNemis({"gen", "--students", std::to_string(students), "--seed", std::to_string(seed),
                "--out", roster.students_path, "--schools-out", roster.schools_path});
  if (!r.status.Ok()) throw std::runtime_error("nemis gen failed: " + r.Describe());
  if (parse) roster.students = ParseCsv(ReadFile(roster.students_path));
  Csv schools = ParseCsv(ReadFile(roster.schools_path));
  for (size_t i = 0; i < schools.rows.size(); ++i) {
    roster.schools.push_back({schools.Cell(i, "学校标识码"), schools.Cell(i, "学校名称"),
                              schools.Cell(i, "办学类型"), schools.Cell(i, "学校类别"),
                              schools.Cell(i, "所在区划")});
  }
  return roster;
}

namespace {

std::string Convert(std::string_view utf8, const char* to) {
  iconv_t cd = iconv_open(to, "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1))
    throw std::runtime_error(std::string("iconv_open failed for ") + to);
  std::string out(utf8.size() * 4 + 16, '\0');
  char* in_ptr = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1))
    throw std::runtime_error(std::string("iconv to ") + to + " failed");
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace

std::string ToGb18030(std::string_view utf8) { return Convert(utf8, "GB18030"); }
std::string ToUtf16Le(std::string_view utf8) { return Convert(utf8, "UTF-16LE"); }

}  // namespace nemis::it
