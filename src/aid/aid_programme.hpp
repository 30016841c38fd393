// The student aid programmes (学生资助项目) an award list may name, the stages each is for and
// the national ceiling of an award per student and school year. The codes are NEMIS's own
// (no national code table is published for them); lists may give the code or the name.
// Ceilings follow the national standards in force from the 2024 autumn term (财教〔2024〕
// adjustments: 国家助学金 of senior and vocational schools 1000–3500 元, 本专科 up to 5000 元,
// 国家励志奖学金 6000 元, 国家奖学金 10000 元) and the 2019 compulsory-education living
// allowance (小学 1000 元, 初中 1250 元 for boarders). Preschool aid is set by provinces: no
// national ceiling. Programmes paid to schools rather than to students (免学费, 免学杂费)
// are not listed here: they never reach a student's account.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "codes/stage.hpp"

namespace nemis::aid {

struct StageCeiling {
  codes::Stage stage;
  int64_t ceiling_fen;  // 0: no national ceiling
};

struct AidProgramme {
  std::string_view code;  // "01".."07"
  std::string_view name;
  std::span<const StageCeiling> stages;
};

/// Every programme, by code.
std::span<const AidProgramme> AllAidProgrammes();
/// The programme of a code or a name; null when neither.
const AidProgramme* FindAidProgramme(std::string_view code_or_name);
/// The ceiling for a student of `stage` (0: none); nullopt when the programme is not for it.
std::optional<int64_t> CeilingFen(const AidProgramme& programme, codes::Stage stage);

}  // namespace nemis::aid
