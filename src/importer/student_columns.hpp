// The student roster file format shared by `nemis import students`, the HTTP import
// and `nemis gen`: one header row naming columns in Chinese or English (any order),
// then one student per row. Header-only and dependency-free so that gen can use it.
#pragma once

#include <array>
#include <string_view>

namespace nemis::importer {

enum class StudentColumn {
  kStudentNumber, kName, kGender, kBirthDate, kEthnicity, kNationality, kIdType, kIdNumber,
  kOverseas, kHukouType, kSchoolCode, kStage, kGrade, kClassNo, kEntryDate, kCategory,
  kBoarding, kEntryMethod, kLeftBehind, kMigrantChild, kOrphan, kMartyrChild, kDisabilityType,
  kInRegularClass, kAddress, kPhone,
  kGuardian1Name, kGuardian1Relation, kGuardian1IdNumber, kGuardian1Phone,
  kGuardian2Name, kGuardian2Relation, kGuardian2IdNumber, kGuardian2Phone,
  kSchoolName, kSchoolType, kSchoolDivision,
  kCount
};

struct StudentColumnSpec {
  StudentColumn column;
  std::string_view chinese;  // header text used by Chinese users and by `nemis gen`
  std::string_view english;  // the API's field name, also accepted as header
  bool required;
};

// Codes are accepted as codes (e.g. 1) or as their names (e.g. 男) where a code table applies.
inline constexpr std::array<StudentColumnSpec, static_cast<size_t>(StudentColumn::kCount)> kStudentColumns = {{
    {StudentColumn::kStudentNumber, "学籍号", "studentNumber", false},  // blank: issued at import
    {StudentColumn::kName, "姓名", "name", true},
    {StudentColumn::kGender, "性别", "gender", true},
    {StudentColumn::kBirthDate, "出生日期", "birthDate", true},           // YYYY-MM-DD or YYYYMMDD
    {StudentColumn::kEthnicity, "民族", "ethnicity", true},
    {StudentColumn::kNationality, "国籍地区", "nationality", false},      // GB/T 2659 numeric, default 156
    {StudentColumn::kIdType, "身份证件类型", "idType", false},            // default 1 居民身份证
    {StudentColumn::kIdNumber, "身份证件号", "idNumber", false},
    {StudentColumn::kOverseas, "港澳台侨外", "overseas", false},
    {StudentColumn::kHukouType, "户口性质", "hukouType", false},
    {StudentColumn::kSchoolCode, "学校标识码", "schoolCode", true},
    {StudentColumn::kStage, "学段", "stage", false},                      // derived from grade and school when blank
    {StudentColumn::kGrade, "年级", "grade", true},
    {StudentColumn::kClassNo, "班号", "classNo", true},
    {StudentColumn::kEntryDate, "入学年月", "entryDate", true},           // YYYY-MM
    {StudentColumn::kCategory, "学生类别", "category", false},
    {StudentColumn::kBoarding, "就读方式", "boarding", false},
    {StudentColumn::kEntryMethod, "入学方式", "entryMethod", false},
    {StudentColumn::kLeftBehind, "留守儿童", "leftBehind", false},
    {StudentColumn::kMigrantChild, "随迁子女", "migrantChild", false},
    {StudentColumn::kOrphan, "孤儿", "orphan", false},
    {StudentColumn::kMartyrChild, "烈士或优抚子女", "martyrChild", false},
    {StudentColumn::kDisabilityType, "残疾类型", "disabilityType", false},
    {StudentColumn::kInRegularClass, "随班就读", "inRegularClass", false},
    {StudentColumn::kAddress, "家庭住址", "address", false},
    {StudentColumn::kPhone, "联系电话", "phone", false},
    {StudentColumn::kGuardian1Name, "监护人1姓名", "guardian1Name", false},
    {StudentColumn::kGuardian1Relation, "监护人1关系", "guardian1Relation", false},
    {StudentColumn::kGuardian1IdNumber, "监护人1身份证件号", "guardian1IdNumber", false},
    {StudentColumn::kGuardian1Phone, "监护人1联系电话", "guardian1Phone", false},
    {StudentColumn::kGuardian2Name, "监护人2姓名", "guardian2Name", false},
    {StudentColumn::kGuardian2Relation, "监护人2关系", "guardian2Relation", false},
    {StudentColumn::kGuardian2IdNumber, "监护人2身份证件号", "guardian2IdNumber", false},
    {StudentColumn::kGuardian2Phone, "监护人2联系电话", "guardian2Phone", false},
    // Optional: lets a data-centre load register a school the store does not hold yet.
    {StudentColumn::kSchoolName, "学校名称", "schoolName", false},
    {StudentColumn::kSchoolType, "学校办学类型", "schoolType", false},
    {StudentColumn::kSchoolDivision, "学校所在区划", "schoolDivision", false},
}};

}  // namespace nemis::importer
