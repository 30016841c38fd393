// National code tables (JY/T 1001, GB/T 2261.1, GB/T 3304, GB/T 2659, 教育统计):
// code <-> name lookups for the fields of student, school and registry records.
// Each table's .cpp names its source and says which rows are from memory.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace nemis::codes {

struct CodeEntry {
  std::string_view code;
  std::string_view name;
};

class CodeTable {
 public:
  constexpr CodeTable(std::string_view name, std::string_view title,
                      std::span<const CodeEntry> entries)
      : name_(name), title_(title), entries_(entries) {}

  /// Stable id of the table, e.g. "ethnicity".
  std::string_view name() const { return name_; }
  /// Chinese title, e.g. 民族.
  std::string_view title() const { return title_; }
  std::span<const CodeEntry> entries() const { return entries_; }

  const CodeEntry* Find(std::string_view code) const;
  const CodeEntry* FindByName(std::string_view name) const;

 private:
  std::string_view name_;
  std::string_view title_;
  std::span<const CodeEntry> entries_;
};

// People (code_tables_person.cpp).
const CodeTable& GenderCodes();            // GB/T 2261.1
const CodeTable& EthnicityCodes();         // GB/T 3304
const CodeTable& IdTypeCodes();            // 身份证件类型, JY/T 1001
const CodeTable& OverseasCodes();          // 港澳台侨外
const CodeTable& NationalityCodes();       // GB/T 2659 numeric, a subset
const CodeTable& HukouTypeCodes();         // 户口性质
const CodeTable& DisabilityTypeCodes();    // 残疾类型
const CodeTable& GuardianRelationCodes();  // 监护人关系
const CodeTable& YesNoCodes();             // 是否: 0 否, 1 是

// Schools (code_tables_school.cpp).
const CodeTable& SchoolCategoryCodes();  // 学校类别, the first 2 digits of a school code
const CodeTable& SchoolTypeCodes();      // 办学类型, 3-digit statistics codes
const CodeTable& SponsorCodes();         // 举办者
const CodeTable& UrbanRuralCodes();      // NBS 城乡分类代码

// Registry (code_tables_registry.cpp).
const CodeTable& StudentCategoryCodes();  // 学生类别
const CodeTable& StudentStatusCodes();    // 学生当前状态
const CodeTable& StatusChangeCodes();     // 学籍异动类别
const CodeTable& LeftBehindCodes();       // 留守儿童
const CodeTable& EntryMethodCodes();      // 入学方式
const CodeTable& BoardingCodes();         // 就读方式

/// Every table above, for listings and table-wide checks.
std::vector<const CodeTable*> AllCodeTables();

/// The coarse class of an urban-rural code: "城区" (11x), "镇区" (12x), "乡村" (2xx),
/// or empty for an unknown code.
std::string_view UrbanRuralClass(std::string_view code);

}  // namespace nemis::codes
