#include "org/division_tree.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "codes/division.hpp"
#include "db/change_log.hpp"
#include "org/org_store.hpp"
#include "org/school_move.hpp"

namespace nemis::org {
namespace {

constexpr std::string_view kUpdateDivision =
    "UPDATE org SET name = $1, status = $2, version = version + 1, updated_at = $3 WHERE id = $4";
constexpr std::string_view kCountOpenChildren =
    "SELECT COUNT(*) FROM org WHERE parent_code = $1 AND status = 'open'";
constexpr std::string_view kSchoolsUnder =
    "SELECT id, code FROM org WHERE parent_code = $1 AND level = 4 ORDER BY id";

bool InNodeTree(std::string_view node_code, std::string_view code) {
  return node_code == kNationalCode || codes::ProvinceOf(node_code) == codes::ProvinceOf(code);
}

Status UpdateDivision(db::Connection& c, const Institution& inst, std::string_view name, bool open,
                      std::string_view now) {
  NEMIS_TRY(c.Query(kUpdateDivision, {name, open ? "open" : "closed", now, inst.id}));
  const int64_t ids[] = {inst.id};
  return db::AppendChanges(c, "org", db::ChangeOp::kUpdate, ids, now);
}

// A county hangs under its city when the tree holds that city (the 省直辖 group 429000
// included), else under its province.
Result<bool> UnderCity(db::Connection& c, std::string_view code) {
  if (codes::DivisionLevelOf(code) != codes::DivisionLevel::kCounty) return false;
  const std::string prefecture = codes::PrefectureOf(code);
  if (prefecture.empty()) return false;
  NEMIS_ASSIGN_OR_RETURN(auto city, OrgStore::Load(c, prefecture));
  return city.has_value() && city->level == OrgLevel::kCity;
}

// The open successor institution `code` in this node's tree, loaded once per change.
Result<const Institution*> SuccessorOf(db::Connection& c, const std::string& code,
                                       std::map<std::string, std::optional<Institution>>& seen) {
  auto it = seen.find(code);
  if (it == seen.end()) {
    NEMIS_ASSIGN_OR_RETURN(auto loaded, OrgStore::Load(c, code));
    if (loaded && !loaded->open) loaded.reset();
    it = seen.emplace(code, std::move(loaded)).first;
  }
  return it->second ? &*it->second : nullptr;
}

// The schools under `from` (open or closed: a closed school's records stay findable under the
// successor) and their students, each moved to the successor `moves` names for it or else to
// `to` (none: it stays), each logged for the exchange. How many schools moved.
Result<int64_t> MoveSchools(db::Connection& c, const Institution& from, const std::string& to,
                            const SchoolSuccessors& moves, std::string_view now) {
  std::map<std::string, std::optional<Institution>> successors;
  NEMIS_ASSIGN_OR_RETURN(auto schools, c.Query(kSchoolsUnder, {from.code}));
  int64_t moved = 0;
  for (const db::Row& school : schools.rows) {
    const int64_t id = school.Int(0);
    auto named = moves.find(school.Text(1));
    const std::string& target = named != moves.end() ? named->second : to;
    if (target.empty()) continue;
    NEMIS_ASSIGN_OR_RETURN(const Institution* successor, SuccessorOf(c, target, successors));
    if (successor == nullptr) continue;  // not in this node's tree
    ++moved;
    NEMIS_TRY(MoveSchoolUnder(c, id, *successor, now));
  }
  return moved;
}

}  // namespace

Institution DivisionInstitution(std::string_view code, std::string_view name, bool under_city) {
  Institution inst;
  inst.code = std::string(code);
  inst.name = std::string(name);
  const std::string province = codes::ProvinceOf(code);
  inst.province_code = province;
  auto level = codes::DivisionLevelOf(code);
  if (level == codes::DivisionLevel::kProvince) {
    inst.level = OrgLevel::kProvince;
    inst.parent_code = std::string(kNationalCode);
  } else if (level == codes::DivisionLevel::kPrefecture) {
    inst.level = OrgLevel::kCity;
    inst.parent_code = province;
    inst.city_code = inst.code;
  } else {
    inst.level = OrgLevel::kCounty;
    const std::string prefecture = codes::PrefectureOf(code);
    inst.parent_code = under_city ? prefecture : province;
    if (under_city) inst.city_code = prefecture;
    inst.county_code = inst.code;
  }
  return inst;
}

Result<DivisionTreeEffect> ApplyDivisionChangeToTree(db::Connection& c,
                                                     const codes::DivisionChange& change,
                                                     const SchoolSuccessors& school_successors,
                                                     std::string_view node_code,
                                                     std::string_view now) {
  DivisionTreeEffect effect;
  if (!InNodeTree(node_code, change.code)) return effect;
  NEMIS_ASSIGN_OR_RETURN(auto existing, OrgStore::Load(c, change.code));
  switch (change.kind) {
    case codes::DivisionChangeKind::kAdd:
      if (!existing) {
        NEMIS_ASSIGN_OR_RETURN(bool under_city, UnderCity(c, change.code));
        NEMIS_TRY(
            OrgStore::Insert(c, DivisionInstitution(change.code, change.name, under_city), now));
        effect.inserted = true;
      } else if (existing->name != change.name || !existing->open) {
        NEMIS_TRY(UpdateDivision(c, *existing, change.name, true, now));
        effect.renamed = true;
      }
      break;
    case codes::DivisionChangeKind::kRename:
      if (existing && existing->name != change.name) {
        NEMIS_TRY(UpdateDivision(c, *existing, change.name, existing->open, now));
        effect.renamed = true;
      }
      break;
    case codes::DivisionChangeKind::kRetire:
      if (existing && existing->open) {
        if (node_code != kNationalCode) {
          NEMIS_ASSIGN_OR_RETURN(effect.schools_moved, MoveSchools(c, *existing, change.successor,
                                                                   school_successors, now));
        }
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kCountOpenChildren, {change.code}));
        effect.open_children = rs.rows.at(0).Int(0);
        if (effect.open_children == 0) {
          NEMIS_TRY(UpdateDivision(c, *existing, existing->name, false, now));
          effect.closed = true;
        }
      }
      break;
  }
  return effect;
}

}  // namespace nemis::org
