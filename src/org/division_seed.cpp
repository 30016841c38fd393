// Seeding the administrative levels of the tree (national, provinces, cities,
// counties) from the GB/T 2260 code table, so that schools can be attached.
#include <algorithm>
#include <set>

#include "codes/division.hpp"
#include "org/division_tree.hpp"
#include "org/org_store.hpp"

namespace nemis::org {
namespace {

constexpr std::string_view kSelectDivisionCodes = "SELECT code FROM org WHERE level < 4";
constexpr std::string_view kNationalName = "中华人民共和国教育部";

}  // namespace

Result<int> OrgStore::SeedDivisions(std::string_view node_code) {
  std::string now = FormatUtc(clock_.Now());
  std::string province = node_code == kNationalCode ? "" : codes::ProvinceOf(node_code);
  return db_.Write<int>([&](db::Connection& c) -> Result<int> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectDivisionCodes));
    std::set<std::string> present;
    for (const auto& row : rs.rows) present.insert(row.Text(0));
    int inserted = 0;
    if (!present.contains(std::string(kNationalCode))) {
      Institution root;
      root.code = std::string(kNationalCode);
      root.level = OrgLevel::kNational;
      root.name = std::string(kNationalName);
      NEMIS_TRY(Insert(c, std::move(root), now));
      ++inserted;
    }
    auto divisions = codes::AllDivisions();
    std::sort(divisions.begin(), divisions.end(),
              [](auto* a, auto* b) { return a->code < b->code; });
    for (const codes::Division* d : divisions) {
      if (!d->current || present.contains(std::string(d->code))) continue;
      if (!province.empty() && codes::ProvinceOf(d->code) != province) continue;
      // Codes sort parents first: a county's city is seeded before it.
      const std::string prefecture = codes::PrefectureOf(d->code);
      const bool under_city = codes::DivisionLevelOf(d->code) == codes::DivisionLevel::kCounty &&
                              !prefecture.empty() && codes::FindDivision(prefecture) != nullptr;
      NEMIS_TRY(Insert(c, DivisionInstitution(d->code, d->name, under_city), now));
      ++inserted;
    }
    return inserted;
  });
}

}  // namespace nemis::org
