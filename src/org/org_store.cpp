#include "org/org_store.hpp"

#include <algorithm>
#include <array>

#include "db/change_log.hpp"
#include "org/name_or_code_filter.hpp"
#include "org/org_rows.hpp"
#include "org/org_validation.hpp"
#include "org/school_move.hpp"

namespace nemis::org {
namespace {

using internal::kOrgColumns;

const std::string kSelectByCode =
    "SELECT " + std::string(kOrgColumns) + " FROM org o WHERE o.code = $1";
const std::string kSelectChildren =
    "SELECT " + std::string(kOrgColumns) +
    " FROM org o WHERE o.parent_code = $1 AND o.code > $2 ORDER BY o.code LIMIT $3";
constexpr std::string_view kInsertOrg =
    "INSERT INTO org (code, level, parent_code, name, province_code, city_code, county_code, category, "
    "school_type, sponsor, urban_rural, address, longitude, latitude, status, version, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $16) RETURNING id";
constexpr std::string_view kUpdateOrg =
    "UPDATE org SET name = $1, school_type = $2, sponsor = $3, urban_rural = $4, address = $5, longitude = $6, "
    "latitude = $7, status = $8, version = version + 1, updated_at = $9 WHERE id = $10 AND version = $11";

constexpr int kMaxPage = 500;

int ClampLimit(int limit) { return std::clamp(limit, 1, kMaxPage); }

OrgPage MakePage(const db::ResultSet& rs, int limit) {
  OrgPage page;
  for (const auto& row : rs.rows) page.items.push_back(internal::InstitutionFromRow(row));
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(static_cast<size_t>(limit));
    page.next = page.items.back().code;
  }
  return page;
}

std::string Now(const Clock& clock) { return FormatUtc(clock.Now()); }

Result<Institution> LoadInScope(db::Connection& c, const Scope& scope, std::string_view code) {
  NEMIS_ASSIGN_OR_RETURN(auto inst, OrgStore::Load(c, code));
  if (!inst || !scope.Contains(*inst))
    return Error::NotFound("机构 " + std::string(code) + " 不存在");
  return std::move(*inst);
}

}  // namespace

Result<std::optional<Institution>> OrgStore::Load(db::Connection& c, std::string_view code) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectByCode, {code}));
  if (rs.empty()) return std::optional<Institution>();
  return std::optional<Institution>(internal::InstitutionFromRow(rs.rows[0]));
}

Result<std::vector<Institution>> OrgStore::LoadSchools(db::Connection& c, const Scope& scope) {
  db::SqlBuilder sql("SELECT " + std::string(kOrgColumns) +
                     " FROM org o WHERE o.level = 4 AND o.status = 'open'");
  scope.AddFilter(sql, ScopedTable::kOrg, "o");
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  std::vector<Institution> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) out.push_back(internal::InstitutionFromRow(row));
  return out;
}

Result<Institution> OrgStore::Insert(db::Connection& c, Institution inst, std::string_view now) {
  NEMIS_ASSIGN_OR_RETURN(
      auto rs,
      c.Query(kInsertOrg, {inst.code, static_cast<int>(inst.level), inst.parent_code, inst.name,
                           inst.province_code, inst.city_code, inst.county_code, inst.category,
                           inst.school_type, inst.sponsor, inst.urban_rural, inst.address,
                           inst.longitude, inst.latitude, inst.open ? "open" : "closed", now}));
  inst.id = rs.rows.at(0).Int(0);
  inst.version = 1;
  inst.created_at = inst.updated_at = std::string(now);
  const int64_t ids[] = {inst.id};
  NEMIS_TRY(db::AppendChanges(c, "org", db::ChangeOp::kInsert, ids, now));
  return inst;
}

Result<Institution> OrgStore::Get(const Scope& scope, std::string_view code) {
  return db_.Read<Institution>([&](db::Connection& c) { return LoadInScope(c, scope, code); });
}

Result<OrgPage> OrgStore::Children(const Scope& scope, std::string_view code, int limit,
                                   std::string_view after) {
  limit = ClampLimit(limit);
  return db_.Read<OrgPage>([&](db::Connection& c) -> Result<OrgPage> {
    NEMIS_TRY(LoadInScope(c, scope, code));
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectChildren, {code, after, limit + 1}));
    OrgPage page = MakePage(rs, limit);
    // A parent in scope may have children outside it only when the caller's
    // scope is the parent itself or below: filter rather than trust the tree.
    std::erase_if(page.items, [&](const Institution& i) { return !scope.Contains(i); });
    return page;
  });
}

Result<OrgPage> OrgStore::Search(const Scope& scope, const OrgSearch& q) {
  int limit = ClampLimit(q.limit);
  return db_.Read<OrgPage>([&](db::Connection& c) -> Result<OrgPage> {
    Scope within = scope;
    if (!q.within.empty()) {
      NEMIS_ASSIGN_OR_RETURN(auto root, LoadInScope(c, scope, q.within));
      within = Scope::Of(root);
    }
    db::SqlBuilder sql("SELECT " + std::string(kOrgColumns) + " FROM org o WHERE o.code > $1",
                       {q.after});
    within.AddFilter(sql, ScopedTable::kOrg, "o");
    std::string pattern;
    internal::AddNameOrCodeFilter(sql, q.text, pattern);
    if (q.level) sql.Add(" AND o.level = $1", {static_cast<int>(*q.level)});
    sql.Add(" ORDER BY o.code LIMIT $1", {limit + 1});
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    return MakePage(rs, limit);
  });
}

Result<Institution> OrgStore::Create(const Scope& scope, const InstitutionInput& input,
                                     db::WriteAttachment* attachment) {
  std::string now = Now(clock_);
  return db_.Write<Institution>(
      [&](db::Connection& c) -> Result<Institution> {
        std::optional<Institution> parent;
        if (input.parent_code) {
          NEMIS_ASSIGN_OR_RETURN(parent, Load(c, *input.parent_code));
          if (parent && !scope.Contains(*parent)) parent.reset();  // out of scope looks absent
        }
        NEMIS_ASSIGN_OR_RETURN(auto inst, ValidateNewInstitution(input, parent));
        NEMIS_ASSIGN_OR_RETURN(auto existing, Load(c, inst.code));
        if (existing)
          return Error::Conflict("duplicate_code",
                                 "机构代码 " + inst.code + " 已存在（" + existing->name + "）");
        return Insert(c, std::move(inst), now);
      },
      attachment);
}

Result<Institution> OrgStore::Update(const Scope& scope, std::string_view code,
                                     const InstitutionInput& input, int64_t expected_version,
                                     db::WriteAttachment* attachment) {
  std::string now = Now(clock_);
  return db_.Write<Institution>(
      [&](db::Connection& c) -> Result<Institution> {
        NEMIS_ASSIGN_OR_RETURN(auto current, LoadInScope(c, scope, code));
        if (current.version != expected_version) return Error::PreconditionFailed();
        NEMIS_ASSIGN_OR_RETURN(auto next, ValidateInstitutionChange(input, current));
        NEMIS_ASSIGN_OR_RETURN(
            auto rs,
            c.Query(kUpdateOrg, {next.name, next.school_type, next.sponsor, next.urban_rural,
                                 next.address, next.longitude, next.latitude,
                                 next.open ? "open" : "closed", now, next.id, expected_version}));
        if (rs.affected != 1) return Error::PreconditionFailed();
        const int64_t ids[] = {next.id};
        NEMIS_TRY(db::AppendChanges(c, "org", db::ChangeOp::kUpdate, ids, now));
        next.version = expected_version + 1;
        next.updated_at = now;
        return next;
      },
      attachment);
}

Result<Institution> OrgStore::MoveSchool(const Scope& scope, std::string_view code,
                                         std::string_view parent_code, int64_t expected_version,
                                         db::WriteAttachment* attachment) {
  const std::string now = Now(clock_);
  return db_.Write<Institution>(
      [&](db::Connection& c) -> Result<Institution> {
        NEMIS_ASSIGN_OR_RETURN(auto school, LoadInScope(c, scope, code));
        if (school.version != expected_version) return Error::PreconditionFailed();
        if (school.level != OrgLevel::kSchool)
          return Error::Invalid({{"code", "not_a_school", "只有学校可以划转到另一区县"}});
        NEMIS_ASSIGN_OR_RETURN(auto county, LoadInScope(c, scope, parent_code));
        std::vector<FieldError> errors;
        if (!TakesSchools(county))
          errors.push_back(
              {"parentCode", "not_school_parent", "学校须划入区县，或不设区县的地级市"});
        else if (!county.open)
          errors.push_back({"parentCode", "closed", "划入的区县已撤销"});
        else if (county.province_code != school.province_code)
          errors.push_back({"parentCode", "other_province", "学校只能在本省内划转"});
        else if (county.code == school.parent_code)
          errors.push_back({"parentCode", "same_parent", "学校已在该区县"});
        if (!errors.empty()) return Error::Invalid(std::move(errors));
        NEMIS_TRY(MoveSchoolUnder(c, school.id, county, now));
        NEMIS_ASSIGN_OR_RETURN(auto moved, Load(c, code));
        return std::move(*moved);
      },
      attachment);
}

}  // namespace nemis::org
