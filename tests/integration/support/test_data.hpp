// Test data made at run time: citizen ID numbers with a correct ISO 7064 MOD 11-2
// check character, student request bodies, CSV reading and writing, and rosters
// from `nemis gen`.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nemis::it {

/// The check character of 17 digits (GB 11643-1999, ISO 7064 MOD 11-2).
char IdCheckCharacter(std::string_view first17);
/// An 18-character ID: region (6 digits), birth date (YYYYMMDD), sequence (0-999), check.
std::string MakeIdNumber(std::string_view region, std::string_view birth_yyyymmdd, int sequence);
/// `id` with its check character replaced by a wrong one.
std::string CorruptCheckCharacter(const std::string& id);

/// Hands out distinct valid IDs for one region: the n-th gets a birth date
/// `start_year`-01-01 + n/400 days and sequence 100 + 2*(n%400) (+1 for boys), so that
/// different regions or start years never collide.
class IdSource {
 public:
  IdSource(std::string region, int start_year)
      : region_(std::move(region)), start_year_(start_year) {}
  struct Person {
    std::string id_number;
    std::string birth_date;  // YYYY-MM-DD
    int gender;              // 1 male, 2 female
  };
  Person Next(int gender);

 private:
  std::string region_;
  int start_year_;
  int next_ = 0;
};

/// The same citizen-ID rules for the 18 characters after a J or L.
bool FollowsIdRules(std::string_view eighteen);

/// What a caller without student.view_sensitive sees of personal data (the rules of
/// src/registry/personal_mask.cpp, written out again here so that the tests check the
/// server against them rather than against itself):
/// 1101**********002X — the first and last four characters of a document number of 12
/// or more characters, two and two for 6 to 11, all starred below 6.
std::string MaskedDocument(std::string_view number);
/// G1101**********002X for a G number (it holds a citizen ID); J and L numbers as they are.
std::string MaskedStudentNumber(std::string_view number);
/// A student number as the audit log names it: every kind masked like a G number.
std::string MaskedNumberInRecords(std::string_view number);

/// A school of a generated province (`nemis gen --schools-out`).
struct School {
  std::string code, name, type, category, division;
};

/// A minimal valid registration body for a student of a primary school (grade 1-6).
nlohmann::json StudentBody(const School& school, const std::string& name,
                           const IdSource::Person& person, int grade, const std::string& class_no);

/// RFC 4180 CSV with a header row.
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  /// Index of a header cell; throws when absent.
  size_t Column(std::string_view name) const;
  const std::string& Cell(size_t row, std::string_view column) const {
    return rows.at(row).at(Column(column));
  }
};
Csv ParseCsv(std::string_view text);
/// One CSV line (with "\n"), quoting where needed.
std::string CsvLine(const std::vector<std::string>& cells);

/// A roster and its schools written by `nemis gen` into `dir`.
struct GenRoster {
  std::string students_path, schools_path;
  Csv students;
  std::vector<School> schools;
  const School& SchoolByCode(const std::string& code) const;
  /// The first school whose code starts with `category` ("21" primary, "11" kindergarten).
  const School* FirstSchoolOfCategory(std::string_view category) const;
};
/// Runs `nemis gen --students N --seed S --out ... --schools-out ...`; throws on error.
/// Without `parse` (huge rosters) `students` stays empty.
GenRoster GenerateRoster(const std::string& dir, int students, int seed,
                         const std::string& name = "roster", bool parse = true);

/// Converts UTF-8 text to GB18030 with iconv(3).
std::string ToGb18030(std::string_view utf8);
/// Converts UTF-8 text to UTF-16LE (no BOM) with iconv(3).
std::string ToUtf16Le(std::string_view utf8);

}  // namespace nemis::it
