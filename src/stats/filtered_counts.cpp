#include "stats/filtered_counts.hpp"

#include <algorithm>
#include <charconv>
#include <map>

namespace nemis::stats {
namespace {

using registry::StatsDimension;

Error BadFilter(std::string_view part, const std::string& why) {
  return Error::BadRequest("bad_filter", "筛选条件 “" + std::string(part) + "” " + why);
}

Result<Condition> ParsePart(std::string_view part) {
  const size_t eq = part.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return BadFilter(part, "应为 维度=值|值 或 维度!=值");
  const bool negate = part[eq - 1] == '!';
  const std::string_view name = part.substr(0, negate ? eq - 1 : eq);
  auto d = registry::ParseDimension(name);
  if (!d || *d == StatsDimension::kOrg) return BadFilter(part, "的维度不可用");
  Condition c{*d, {}, negate};
  std::string_view values = part.substr(eq + 1);
  while (true) {
    const size_t bar = values.find('|');
    const std::string_view v = values.substr(0, bar);
    if (v.empty()) return BadFilter(part, "缺少值");
    if (IsNumericDimension(*d)) {
      int64_t n = 0;
      auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || ptr != v.data() + v.size()) return BadFilter(part, "的值应为整数");
      c.values.emplace_back(n);
    } else {
      c.values.emplace_back(std::string(v));
    }
    if (bar == std::string_view::npos) break;
    values = values.substr(bar + 1);
  }
  return c;
}

bool Admits(const std::vector<Condition>& where, const std::vector<StatsDimension>& by,
            const registry::StatsRow& row) {
  for (const auto& c : where) {
    const size_t i = static_cast<size_t>(std::find(by.begin(), by.end(), c.dimension) - by.begin());
    if (!c.Matches(row.keys[i])) return false;
  }
  return true;
}

}  // namespace

Result<std::vector<Condition>> ParseFilter(std::string_view text) {
  std::vector<Condition> out;
  while (!text.empty()) {
    const size_t semi = text.find(';');
    NEMIS_ASSIGN_OR_RETURN(auto c, ParsePart(text.substr(0, semi)));
    out.push_back(std::move(c));
    if (semi == std::string_view::npos) break;
    text = text.substr(semi + 1);
  }
  return out;
}

Result<registry::StatsResult> CountFiltered(const registry::StatsQuery& query,
                                            const std::vector<Condition>& where,
                                            const StudentCounter& count) {
  if (where.empty()) return count(query);
  registry::StatsQuery wide = query;
  for (const auto& c : where)
    if (std::find(wide.by.begin(), wide.by.end(), c.dimension) == wide.by.end())
      wide.by.push_back(c.dimension);
  NEMIS_ASSIGN_OR_RETURN(auto counted, count(wide));
  std::map<std::vector<db::Value>, int64_t> kept;
  for (const auto& row : counted.rows) {
    if (!Admits(where, wide.by, row)) continue;
    kept[{row.keys.begin(), row.keys.begin() + static_cast<std::ptrdiff_t>(query.by.size())}] +=
        row.count;
  }
  registry::StatsResult out{counted.org_code, query.by, {}, 0};
  for (auto& [keys, n] : kept) {
    out.rows.push_back({keys, n});
    out.total += n;
  }
  if (query.by.empty() && out.rows.empty()) out.rows.push_back({{}, 0});
  return out;
}

}  // namespace nemis::stats
