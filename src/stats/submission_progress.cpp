#include "stats/submission_progress.hpp"

#include <map>
#include <unordered_map>

#include "org/org_store.hpp"
#include "stats/submission_snapshot.hpp"

namespace nemis::stats {
namespace {

// The open institutions of the root's subtree, by the root's level.
std::string SubtreeWhere(org::OrgLevel level) {
  switch (level) {
    case org::OrgLevel::kNational:
      return "1 = 1 OR o.code = $1";
    case org::OrgLevel::kProvince:
      return "o.province_code = $1";
    case org::OrgLevel::kCity:
      return "o.city_code = $1";
    case org::OrgLevel::kCounty:
      return "o.county_code = $1";
    case org::OrgLevel::kSchool:
      return "o.code = $1";
  }
  return "o.code = $1";
}

struct Node {
  UnitProgress progress;
  bool reports = false;  // a school, or a bureau with an open school below
  bool pending = false;  // its submission is submitted or approved
};

using Tree = std::unordered_map<std::string, Node>;

Result<Tree> LoadTree(db::Connection& c, int year, const org::Institution& root) {
  const std::string where = SubtreeWhere(root.level);
  NEMIS_ASSIGN_OR_RETURN(
      auto orgs, c.Query("SELECT o.code, o.name, o.level, COALESCE(o.parent_code, ''), o.status "
                         "FROM org o WHERE (" +
                             where + ") OR o.code = $1",
                         {root.code}));
  Tree tree;
  for (const auto& r : orgs.rows) {
    Node n;
    n.progress.org_code = r.Text(0);
    n.progress.name = r.Text(1);
    n.progress.level = static_cast<org::OrgLevel>(r.Int(2));
    n.progress.parent_code = r.Text(3);
    n.reports = n.progress.level == org::OrgLevel::kSchool && r.Text(4) == "open";
    tree.emplace(n.progress.org_code, std::move(n));
  }
  NEMIS_ASSIGN_OR_RETURN(
      auto rows, c.Query("SELECT s.org_code, s.state, s.version, s.submitted_by, s.submitted_at, "
                         "s.decided_by, s.decided_at, s.return_reason FROM stats_submission s "
                         "JOIN org o ON o.code = s.org_code WHERE s.year = $2 AND ((" +
                             where + ") OR o.code = $1)",
                         {root.code, int64_t{year}}));
  for (const auto& r : rows.rows) {
    auto it = tree.find(r.Text(0));
    if (it == tree.end()) continue;
    UnitProgress& p = it->second.progress;
    p.state = r.Text(1);
    p.version = r.Int(2);
    p.submitted_by = r.Text(3);
    p.submitted_at = r.Text(4);
    p.decided_by = r.Text(5);
    p.decided_at = r.Text(6);
    p.return_reason = r.Text(7);
    it->second.pending = p.state == "submitted" || p.state == "approved";
  }
  return tree;
}

// Marks the bureaus with an open school below as reporting and counts, for each, its
// reporting units and how many of them are approved.
void CountUnitsBelow(Tree& tree, const std::string& root_code) {
  for (auto& [code, node] : tree) {
    if (node.progress.level != org::OrgLevel::kSchool || !node.reports) continue;
    for (auto up = tree.find(node.progress.parent_code); up != tree.end();
         up = tree.find(up->second.progress.parent_code)) {
      up->second.reports = true;
      if (up->first == root_code) break;
    }
  }
  for (auto& [code, node] : tree) {
    if (!node.reports || code == root_code) continue;
    auto parent = tree.find(node.progress.parent_code);
    if (parent == tree.end()) continue;
    ++parent->second.progress.units_below;
    if (node.progress.state == "approved") ++parent->second.progress.units_below_approved;
  }
}

// The state of a unit without a standing submission, and the flags of every unit.
void Settle(UnitProgress& p, bool locked, bool past_deadline) {
  const bool submitted = p.state == "submitted" || p.state == "approved";
  if (!submitted && p.state != "returned")
    p.state = p.units_below_approved == p.units_below ? "ready" : "waiting";
  p.locked = locked;
  p.overdue = past_deadline && !submitted;
}

void Tally(LevelProgress& l, const UnitProgress& p) {
  ++l.units;
  if (p.state == "waiting") ++l.waiting;
  if (p.state == "ready") ++l.ready;
  if (p.state == "submitted") ++l.submitted;
  if (p.state == "approved") ++l.approved;
  if (p.state == "returned") ++l.returned;
  if (p.overdue) ++l.overdue;
}

// Whether a level above `root` has submitted.
Result<bool> LockedAboveRoot(db::Connection& c, int year, const org::Institution& root) {
  for (std::string code = root.parent_code; !code.empty();) {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT state FROM stats_submission WHERE year = $1 "
                                            "AND org_code = $2",
                                            {int64_t{year}, code}));
    if (!rs.empty() && (rs.rows[0].Text(0) == "submitted" || rs.rows[0].Text(0) == "approved"))
      return true;
    NEMIS_ASSIGN_OR_RETURN(auto above, org::OrgStore::Load(c, code));
    code = above ? above->parent_code : "";
  }
  return false;
}

// Whether any unit from `code` up to the root (exclusive of `code`) has submitted.
bool PendingAbove(const Tree& tree, const std::string& code, const std::string& root_code) {
  auto it = tree.find(code);
  while (it != tree.end() && it->first != root_code) {
    it = tree.find(it->second.progress.parent_code);
    if (it != tree.end() && it->second.pending) return true;
  }
  return false;
}

}  // namespace

Date SubmissionDeadline(int year) { return Date{year, 9, 20}; }

Result<SubmissionProgress> ProgressOf(db::Database& db, int year, const org::Institution& root,
                                      Date today) {
  return db.Read<SubmissionProgress>([&](db::Connection& c) -> Result<SubmissionProgress> {
    NEMIS_ASSIGN_OR_RETURN(Tree tree, LoadTree(c, year, root));
    NEMIS_ASSIGN_OR_RETURN(bool root_locked, LockedAboveRoot(c, year, root));
    CountUnitsBelow(tree, root.code);
    SubmissionProgress out;
    out.point = PointOfYear(year);
    out.deadline = SubmissionDeadline(year);
    const bool late = today > out.deadline;
    std::map<org::OrgLevel, LevelProgress> levels;
    for (auto& [code, node] : tree) {
      if (!node.reports && code != root.code) continue;
      const bool locked = root_locked || PendingAbove(tree, code, root.code);
      Settle(node.progress, locked, late);
      LevelProgress& l = levels[node.progress.level];
      l.level = node.progress.level;
      Tally(l, node.progress);
      if (code == root.code)
        out.unit = node.progress;
      else if (node.progress.parent_code == root.code)
        out.units.push_back(node.progress);
    }
    std::sort(out.units.begin(), out.units.end(),
              [](const UnitProgress& a, const UnitProgress& b) { return a.org_code < b.org_code; });
    for (auto& [level, l] : levels) out.levels.push_back(l);
    return out;
  });
}

}  // namespace nemis::stats
