#include "registry/quality/problem_kind.hpp"

#include <array>

namespace nemis::registry::quality {
namespace {

struct KindText {
  ProblemKind kind;
  std::string_view id, name;
};

constexpr std::array<KindText, 12> kKinds = {{
    {ProblemKind::kSameIdNumber, "same_id_number", "同一证件号码有两条学籍"},
    {ProblemKind::kNoIdSamePerson, "no_id_same_person", "无证件学生同姓名同性别同出生日期"},
    {ProblemKind::kSameNameBirth, "same_name_birth", "疑似重复：同姓名同性别同出生日期"},
    {ProblemKind::kSameGuardianName, "same_guardian_name", "疑似重复：同一监护人证件号下同名学生"},
    {ProblemKind::kSimilarName, "similar_name", "疑似重复：姓名读音相同或仅差一字"},
    {ProblemKind::kIdMismatch, "id_mismatch", "身份证号码校验不通过或与出生日期、性别不符"},
    {ProblemKind::kPopulationCheck, "population_check", "人口信息比对未通过：查无此人或姓名不符"},
    {ProblemKind::kTempNumberOverdue, "temp_number_overdue", "临时学籍号（J、L）保留过久"},
    {ProblemKind::kGuardianIdMissing, "guardian_id_missing", "无证件学生缺少监护人身份证号码"},
    {ProblemKind::kNoGuardian, "no_guardian", "缺少监护人信息"},
    {ProblemKind::kAgeOffGrade, "age_off_grade", "年龄与年级不符"},
    {ProblemKind::kOverdueCase, "overdue_case", "审批案件逾期未办结"},
}};

constexpr std::array<ProblemKind, kKinds.size()> kAll = [] {
  std::array<ProblemKind, kKinds.size()> out{};
  for (size_t i = 0; i < kKinds.size(); ++i) out[i] = kKinds[i].kind;
  return out;
}();

const KindText& TextOf(ProblemKind kind) { return kKinds[static_cast<size_t>(kind)]; }

}  // namespace

std::span<const ProblemKind> AllProblemKinds() { return kAll; }
std::string_view ProblemKindId(ProblemKind kind) { return TextOf(kind).id; }
std::string_view ProblemKindName(ProblemKind kind) { return TextOf(kind).name; }

std::optional<ProblemKind> ParseProblemKind(std::string_view id) {
  for (const KindText& k : kKinds)
    if (k.id == id) return k.kind;
  return std::nullopt;
}

bool IsPairKind(ProblemKind kind) { return kind <= ProblemKind::kSimilarName; }

}  // namespace nemis::registry::quality
