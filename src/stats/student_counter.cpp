#include "stats/student_counter.hpp"

#include <algorithm>
#include <unordered_map>

#include "stats/student_codes.hpp"

namespace nemis::stats {
namespace {

using registry::StatsDimension;

// What a query needs of each school, by org id.
struct SchoolView {
  int32_t child = -1;  // the root's child it rolls up into (kOrg); -1: outside the root
  int64_t promotions = 0;
  uint32_t urban_rural = 0;  // index into Pass::urban_rural_ (0: NULL)
  uint32_t code = 0;         // index into Pass::school_codes_
  uint32_t county = 0;       // index into Pass::counties_ (0: NULL)
  uint32_t type = 0;         // index into the school types (0: NULL)
  bool open = true;
};

// The per-query dictionaries of school attributes (built from the root's schools).
struct SchoolKeys {
  std::vector<std::string> children;  // kOrg: the root's children, by index
  CodeDictionary urban_rural{UINT32_MAX}, codes{UINT32_MAX}, counties{UINT32_MAX},
      types{UINT32_MAX};
};

// A dimension of the query with its keys, packed compactly (the radix is the number of keys).
DimensionKeys MakeDimension(StatsDimension d, const StudentCodes& codes,
                            const SchoolKeys& schools) {
  DimensionKeys out{d, {}, 0};
  switch (d) {
    case StatsDimension::kOrg:
      out.keys.assign(schools.children.begin(), schools.children.end());
      break;
    case StatsDimension::kUrbanRural:
      out.keys = DictionaryKeys(schools.urban_rural);
      break;
    case StatsDimension::kSchool:
      out.keys = DictionaryKeys(schools.codes);
      break;
    case StatsDimension::kCounty:
      out.keys = DictionaryKeys(schools.counties);
      break;
    case StatsDimension::kSchoolType:
      out.keys = DictionaryKeys(schools.types);
      break;
    default:
      out = codes.Keys(d);
  }
  out.radix = out.keys.size();
  return out;
}

// Everything one pass needs, prepared once per query.
class Pass {
 public:
  Pass(const Projection& p, const org::Subtree& root, const registry::StatsQuery& query)
      : s_(p.students), codes_(p.students), query_(query) {
    PrepareSchools(p, root);
    for (auto d : query.by) dimensions_.push_back(MakeDimension(d, codes_, keys_));
  }

  // The open schools under the root, grouped by the query's dimensions, each a school's own
  // (child, school, county, urban-rural class, type); any other is a student's.
  Result<registry::StatsResult> RunSchools(const std::string& root_code) {
    for (const auto& d : dimensions_)
      if (!IsSchoolDimension(d.which))
        return Error::BadRequest(
            "bad_dimension",
            "学校数只能按学校的属性分组，不能按 " + std::string(registry::DimensionName(d.which)));
    std::unordered_map<uint64_t, int64_t> counts;
    for (const SchoolView& view : schools_) {
      if (view.child < 0 || !view.open) continue;
      uint64_t key = 0;
      for (const auto& d : dimensions_) key = key * d.radix + Code(d.which, 0, view);
      ++counts[key];
    }
    return Tally(root_code, query_.by, dimensions_, {counts.begin(), counts.end()});
  }

  Result<registry::StatsResult> Run(const std::string& root_code) {
    uint64_t combinations = 1;
    for (const auto& d : dimensions_) {
      if (d.keys.empty()) return Tally(root_code, query_.by, dimensions_, {});  // no child
      if (combinations > UINT64_MAX / d.keys.size())
        return Error::BadRequest("bad_dimension", "分组维度组合过多，请减少分组维度");
      combinations *= d.keys.size();
    }
    std::unordered_map<uint64_t, int64_t> counts;

    const size_t slots = s_.Slots();
    for (size_t id = 1; id < slots; ++id) {
      const uint32_t school = s_.school[id];
      if (school == 0 || school >= schools_.size()) continue;
      const SchoolView& view = schools_[school];
      if (view.child < 0) continue;
      if (!query_.all_statuses && !codes_.Current(id)) continue;
      uint64_t key = 0;
      for (const auto& d : dimensions_) key = key * d.radix + Code(d.which, id, view);
      ++counts[key];
    }
    return Tally(root_code, query_.by, dimensions_, {counts.begin(), counts.end()});
  }

  // The students meeting `where` (one condition per dimension of the query, in order).
  StudentIdPage Select(const std::vector<Condition>& where, size_t offset, size_t limit) const {
    StudentIdPage page;
    const size_t slots = s_.Slots();
    for (size_t id = 1; id < slots; ++id) {
      const uint32_t school = s_.school[id];
      if (school == 0 || school >= schools_.size() || schools_[school].child < 0) continue;
      bool meets = true;
      for (size_t i = 0; i < where.size() && meets; ++i) {
        const DimensionKeys& d = dimensions_[i];
        meets = where[i].Matches(d.keys[Code(d.which, id, schools_[school]) % d.radix]);
      }
      if (!meets) continue;
      if (static_cast<size_t>(page.total) >= offset && page.ids.size() < limit)
        page.ids.push_back(static_cast<int64_t>(id));
      ++page.total;
    }
    return page;
  }

 private:
  void PrepareSchools(const Projection& p, const org::Subtree& root) {
    schools_.resize(static_cast<size_t>(p.orgs.IdLimit()));
    std::unordered_map<std::string, int32_t> child_index;
    for (int64_t id = 0; id < p.orgs.IdLimit(); ++id) {
      const OrgEntry* e = p.orgs.ById(id);
      if (!e || e->institution.level != org::OrgLevel::kSchool || !root.Contains(e->institution))
        continue;
      const std::string child = ChildOf(e->institution, root.level).code;
      auto [it, added] = child_index.emplace(child, static_cast<int32_t>(keys_.children.size()));
      if (added) keys_.children.push_back(child);
      const uint32_t urban_rural = keys_.urban_rural.Encode(e->institution.urban_rural).value_or(0);
      const uint32_t code = keys_.codes.Encode(e->institution.code).value_or(0);
      const uint32_t county = keys_.counties.Encode(e->institution.county_code).value_or(0);
      const uint32_t type = keys_.types.Encode(e->institution.school_type).value_or(0);
      schools_[static_cast<size_t>(id)] = {it->second, e->promotions, urban_rural,        code,
                                           county,     type,          e->institution.open};
    }
  }

  uint64_t Code(StatsDimension d, size_t id, const SchoolView& view) const {
    switch (d) {
      case StatsDimension::kOrg:
        return static_cast<uint64_t>(view.child);
      case StatsDimension::kUrbanRural:
        return view.urban_rural;
      case StatsDimension::kSchool:
        return view.code;
      case StatsDimension::kCounty:
        return view.county;
      case StatsDimension::kSchoolType:
        return view.type;
      default:
        return codes_.Code(d, id, view.promotions);
    }
  }

  const StudentColumns& s_;
  StudentCodes codes_;
  const registry::StatsQuery& query_;
  std::vector<SchoolView> schools_;
  SchoolKeys keys_;  // of the root's schools
  std::vector<DimensionKeys> dimensions_;
};

}  // namespace

Result<registry::StatsResult> CountUnder(const Projection& p, const org::Subtree& root,
                                         const registry::StatsQuery& query) {
  return Pass(p, root, query).Run(root.code);
}

Result<registry::StatsResult> CountSchoolsUnder(const Projection& p, const org::Subtree& root,
                                                const std::vector<StatsDimension>& by) {
  const registry::StatsQuery query{root.code, by, /*all_statuses=*/true};
  return Pass(p, root, query).RunSchools(root.code);
}

Result<StudentIdPage> SelectUnder(const Projection& p, const org::Subtree& root,
                                  const std::vector<Condition>& where, size_t offset,
                                  size_t limit) {
  registry::StatsQuery query{root.code, {}, /*all_statuses=*/true};
  for (const Condition& c : where) query.by.push_back(c.dimension);
  return Pass(p, root, query).Select(where, offset, limit);
}

Result<org::Subtree> ResolveRoot(const Projection& p, const org::Scope& caller,
                                 const std::string& org_code) {
  if (org_code.empty()) {
    if (const org::Subtree* single = caller.Single()) return *single;
    return Error::Invalid(
        {{"org", "org_required", "您的权限范围包含多个机构，请用 org 参数指定其中一个"}});
  }
  const OrgEntry* e = p.orgs.ByCode(org_code);
  if (!e || !caller.Contains(e->institution))
    return Error::NotFound("机构 " + org_code + " 不存在");
  return org::Subtree::Of(e->institution);
}

}  // namespace nemis::stats
