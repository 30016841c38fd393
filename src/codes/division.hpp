// GB/T 2260 administrative divisions (province, prefecture, county): names, levels and
// the tree between them. Codes are 6 ASCII digits. Retired codes stay known because ID
// numbers keep the code of the birth-time registration.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nemis::codes {

struct Division {
  std::string_view code;  // 6 digits
  std::string_view name;  // own name only, e.g. 天河区 (not 广东省广州市天河区)
  bool current;           // false: retired, kept for old ID numbers
};

enum class DivisionLevel { kProvince, kPrefecture, kCounty };

/// The division with this code (current or retired), or nullptr.
const Division* FindDivision(std::string_view code6);

/// Whether the code is in the table, current or retired. Allocation-free and O(1):
/// it is on the hot path of ID-number validation.
bool IsKnownDivision(std::string_view code6);

/// Whether a citizen ID number may carry this code as its address code (digits 1-6).
/// GB 11643-1999 (地址码): the address code is the GB/T 2260 code of the county (市、旗、区)
/// of the registered residence, so of the known codes (IsKnownDivision) this refuses:
/// - every province xx0000;
/// - every prefecture-level xxyy00 that has county-level divisions under it in the
///   table (广州市 440100), including the aggregate rows 110100 市辖区, 110200 县 of the
///   municipalities and the 省直辖 groups (429000).
/// It accepts:
/// - county-level codes, current or retired, including Hainan's retired xx00zz;
/// - a prefecture-level city without counties (东莞 441900, 中山 442000, 儋州 460400,
///   嘉峪关 620200): GB/T 2260 lists no county under it, so its own code is the code
///   its residents' IDs carry. "Without counties" means none but 市辖区 aggregate rows
///   (441901, retired, from the 1990s lists);
/// - the 市辖区 aggregates xxyy01 (370101): GB/T 2260 places them at county level, city
///   public-security bureaus that kept one register for all their districts issued
///   IDs with them, and the standard test vector 370101190102039973 carries one;
/// - NBS development zones xxyy7z (130171): not GB/T 2260 divisions, but whether any
///   ID carries one is not known, and refusing a real ID is the worse error.
/// Allocation-free and O(1), like IsKnownDivision.
bool IsAddressCode(std::string_view code6);

/// The level implied by the code's shape (xx0000, xxyy00, xxyyzz), whether or not the
/// code exists. yy = 90 (county-level units directly under the province) counts as a
/// prefecture-level group; xx00zz (retired province-direct counties such as Hainan's
/// 460001) as a county. nullopt for non-digits, wrong length or province 00.
std::optional<DivisionLevel> DivisionLevelOf(std::string_view code6);

/// "440000" for any well-formed code of Guangdong; empty when malformed.
std::string ProvinceOf(std::string_view code6);

/// "440100" for 440106; the code itself for a prefecture; "429000" for 429004 (the
/// province-direct group); empty for a province, an xx00zz county or a malformed code.
std::string PrefectureOf(std::string_view code6);

/// Current divisions one level down. A province yields its prefectures and, in place
/// of its 省直辖 group (xx9000), that group's county-level units (429004 仙桃市).
/// A prefecture yields its counties; prefectures without counties (东莞 441900,
/// 中山 442000, 儋州 460400, 嘉峪关 620200) and counties yield nothing.
std::vector<const Division*> ChildDivisions(std::string_view code6);

/// Every division, current and retired, sorted by code.
std::vector<const Division*> AllDivisions();

}  // namespace nemis::codes
