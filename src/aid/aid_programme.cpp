#include "aid/aid_programme.hpp"

#include <array>

namespace nemis::aid {
namespace {

using codes::Stage;

constexpr int64_t kYuan = 100;

constexpr std::array<StageCeiling, 1> kPreschool = {{{Stage::kPreschool, 0}}};
constexpr std::array<StageCeiling, 2> kCompulsory = {
    {{Stage::kPrimary, 1000 * kYuan}, {Stage::kJunior, 1250 * kYuan}}};
constexpr std::array<StageCeiling, 1> kSenior = {{{Stage::kSenior, 3500 * kYuan}}};
constexpr std::array<StageCeiling, 1> kVocational = {{{Stage::kVocational, 3500 * kYuan}}};
constexpr std::array<StageCeiling, 1> kHigherGrant = {{{Stage::kHigher, 5000 * kYuan}}};
constexpr std::array<StageCeiling, 1> kHigherMerit = {{{Stage::kHigher, 6000 * kYuan}}};
constexpr std::array<StageCeiling, 1> kHigherScholarship = {{{Stage::kHigher, 10000 * kYuan}}};

constexpr std::array<AidProgramme, 7> kProgrammes = {{
    {"01", "学前教育幼儿资助", kPreschool},
    {"02", "义务教育家庭经济困难学生生活补助", kCompulsory},
    {"03", "普通高中国家助学金", kSenior},
    {"04", "中等职业学校国家助学金", kVocational},
    {"05", "本专科生国家助学金", kHigherGrant},
    {"06", "国家励志奖学金", kHigherMerit},
    {"07", "国家奖学金", kHigherScholarship},
}};

}  // namespace

std::span<const AidProgramme> AllAidProgrammes() { return kProgrammes; }

const AidProgramme* FindAidProgramme(std::string_view code_or_name) {
  for (const AidProgramme& p : kProgrammes)
    if (p.code == code_or_name || p.name == code_or_name) return &p;
  return nullptr;
}

std::optional<int64_t> CeilingFen(const AidProgramme& programme, codes::Stage stage) {
  for (const StageCeiling& s : programme.stages)
    if (s.stage == stage) return s.ceiling_fen;
  return std::nullopt;
}

}  // namespace nemis::aid
