#include "org/org_replica.hpp"

#include <string>

#include "db/change_log.hpp"
#include "org/org_rows.hpp"

namespace nemis::org {
namespace {

const std::string& SelectByIdsSql() {
  static const std::string sql = "SELECT " + std::string(internal::kOrgColumns) +
                                 ", o.promotions, o.promoted_year FROM org o WHERE o.id = $1";
  return sql;
}

constexpr std::string_view kSelectByCode = "SELECT id FROM org WHERE code = $1";

constexpr std::string_view kParentExists = "SELECT 1 FROM org WHERE code = $1";

constexpr std::string_view kInsert =
    "INSERT INTO org (code, level, parent_code, name, province_code, city_code, county_code, "
    "category, school_type, sponsor, urban_rural, address, longitude, latitude, status, "
    "promotions, promoted_year, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
    "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 1, $18, $19) RETURNING id";

constexpr std::string_view kReplace =
    "UPDATE org SET level = $2, parent_code = $3, name = $4, province_code = $5, city_code = $6, "
    "county_code = $7, category = $8, school_type = $9, sponsor = $10, urban_rural = $11, "
    "address = $12, longitude = $13, latitude = $14, status = $15, promotions = $16, "
    "promoted_year = $17, created_at = $18, version = version + 1, updated_at = $19 WHERE id = $1";

std::vector<db::Param> ValueParams(const ReplicaInstitution& r) {
  const Institution& i = r.institution;
  return {i.code,
          static_cast<int>(i.level),
          i.parent_code,
          i.name,
          i.province_code,
          i.city_code,
          i.county_code,
          i.category,
          i.school_type,
          i.sponsor,
          i.urban_rural,
          i.address,
          i.longitude,
          i.latitude,
          i.open ? "open" : "closed",
          r.promotions,
          r.promoted_year,
          i.created_at};
}

}  // namespace

Result<std::vector<ReplicaInstitution>> LoadInstitutionsForExchange(db::Connection& c,
                                                                    std::span<const int64_t> ids) {
  std::vector<ReplicaInstitution> out;
  out.reserve(ids.size());
  const size_t extra = 19;  // the columns after kOrgColumns
  for (int64_t id : ids) {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(SelectByIdsSql(), {id}));
    if (rs.rows.empty()) continue;
    const db::Row& row = rs.rows.front();
    out.push_back({internal::InstitutionFromRow(row), row.Int(extra), row.Int(extra + 1)});
  }
  return out;
}

Status WriteReplicaInstitution(db::Connection& c, const ReplicaInstitution& replica,
                               std::string_view source_province, std::string_view now) {
  const Institution& i = replica.institution;
  if (i.level == OrgLevel::kNational || i.province_code != source_province) {
    return Error::Refused("record_outside_source",
                          "机构 " + i.code + " 不属于发送节点所在的省份，不能由该节点写入");
  }
  std::vector<db::Param> values = ValueParams(replica);
  NEMIS_ASSIGN_OR_RETURN(auto stored, c.Query(kSelectByCode, {i.code}));
  if (i.level != OrgLevel::kProvince) {
    NEMIS_ASSIGN_OR_RETURN(auto parent, c.Query(kParentExists, {i.parent_code}));
    if (parent.rows.empty()) {
      return Error::Refused("unknown_parent",
                            "机构 " + i.code + " 的上级 " + i.parent_code + " 尚未同步到本节点");
    }
  }
  int64_t id = 0;
  db::ChangeOp op = db::ChangeOp::kUpdate;
  if (stored.rows.empty()) {
    values.emplace_back(now);
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kInsert, values));
    id = rs.rows.at(0).Int(0);
    op = db::ChangeOp::kInsert;
  } else {
    id = stored.rows.front().Int(0);
    values[0] = id;
    values.emplace_back(now);
    NEMIS_TRY(c.Query(kReplace, values));
  }
  const int64_t ids[] = {id};
  return db::AppendChanges(c, "org", op, ids, now);
}

}  // namespace nemis::org
