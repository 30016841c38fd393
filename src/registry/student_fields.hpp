// The fields of a student record as clients send them: each with its API name
// (camelCase) and the Chinese column name of roster files. Shared by the API, the
// importer (any column order, Chinese or English headers) and `nemis gen`.
// Header-only and dependency-free.
#pragma once

#include <array>
#include <string_view>

namespace nemis::registry {

enum class StudentField {
  kStudentNumber,
  kName,
  kGender,
  kBirthDate,
  kEthnicity,
  kNationality,
  kIdType,
  kIdNumber,
  kOverseas,
  kHukouType,
  kSchoolCode,
  kStage,
  kGrade,
  kClassNo,
  kEntryDate,
  kCategory,
  kBoarding,
  kEntryMethod,
  kLeftBehind,
  kMigrantChild,
  kOrphan,
  kMartyrChild,
  kDisabilityType,
  kInRegularClass,
  kAddress,
  kPhone,
  kGuardian1Name,
  kGuardian1Relation,
  kGuardian1IdNumber,
  kGuardian1Phone,
  kGuardian2Name,
  kGuardian2Relation,
  kGuardian2IdNumber,
  kGuardian2Phone,
  kSchoolName,
  kSchoolType,
  kSchoolDivision,
  kCount
};

struct StudentFieldSpec {
  StudentField field;
  std::string_view chinese;  // header text used by Chinese users and by `nemis gen`
  std::string_view english;  // the API's field name, also accepted as header
  bool required;
};

// Codes are accepted as codes (e.g. 1) or as their names (e.g. 男) where a code table applies.
inline constexpr size_t kStudentFieldCount = static_cast<size_t>(StudentField::kCount);

inline constexpr std::array<StudentFieldSpec, static_cast<size_t>(StudentField::kCount)>
    kStudentFields = {{
        {StudentField::kStudentNumber, "学籍号", "studentNumber",
         false},  // blank: issued at import
        {StudentField::kName, "姓名", "name", true},
        {StudentField::kGender, "性别", "gender", true},
        {StudentField::kBirthDate, "出生日期", "birthDate", true},  // YYYY-MM-DD or YYYYMMDD
        {StudentField::kEthnicity, "民族", "ethnicity", true},
        {StudentField::kNationality, "国籍地区", "nationality",
         false},                                                   // GB/T 2659 numeric, default 156
        {StudentField::kIdType, "身份证件类型", "idType", false},  // default 1 居民身份证
        {StudentField::kIdNumber, "身份证件号", "idNumber", false},
        {StudentField::kOverseas, "港澳台侨外", "overseas", false},
        {StudentField::kHukouType, "户口性质", "hukouType", false},
        {StudentField::kSchoolCode, "学校标识码", "schoolCode", true},
        {StudentField::kStage, "学段", "stage", false},  // derived from grade and school when blank
        {StudentField::kGrade, "年级", "grade", true},
        {StudentField::kClassNo, "班号", "classNo", true},
        {StudentField::kEntryDate, "入学年月", "entryDate", true},  // YYYY-MM
        {StudentField::kCategory, "学生类别", "category", false},
        {StudentField::kBoarding, "就读方式", "boarding", false},
        {StudentField::kEntryMethod, "入学方式", "entryMethod", false},
        {StudentField::kLeftBehind, "留守儿童", "leftBehind", false},
        {StudentField::kMigrantChild, "随迁子女", "migrantChild", false},
        {StudentField::kOrphan, "孤儿", "orphan", false},
        {StudentField::kMartyrChild, "烈士或优抚子女", "martyrChild", false},
        {StudentField::kDisabilityType, "残疾类型", "disabilityType", false},
        {StudentField::kInRegularClass, "随班就读", "inRegularClass", false},
        {StudentField::kAddress, "家庭住址", "address", false},
        {StudentField::kPhone, "联系电话", "phone", false},
        {StudentField::kGuardian1Name, "监护人1姓名", "guardian1Name", true},
        {StudentField::kGuardian1Relation, "监护人1关系", "guardian1Relation", true},
        {StudentField::kGuardian1IdNumber, "监护人1身份证件号", "guardian1IdNumber", false},
        {StudentField::kGuardian1Phone, "监护人1联系电话", "guardian1Phone", false},
        {StudentField::kGuardian2Name, "监护人2姓名", "guardian2Name", false},
        {StudentField::kGuardian2Relation, "监护人2关系", "guardian2Relation", false},
        {StudentField::kGuardian2IdNumber, "监护人2身份证件号", "guardian2IdNumber", false},
        {StudentField::kGuardian2Phone, "监护人2联系电话", "guardian2Phone", false},
        // Optional: lets a data-centre load register a school the store does not hold yet.
        {StudentField::kSchoolName, "学校名称", "schoolName", false},
        {StudentField::kSchoolType, "学校办学类型", "schoolType", false},
        {StudentField::kSchoolDivision, "学校所在区划", "schoolDivision", false},
    }};

}  // namespace nemis::registry
