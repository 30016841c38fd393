#include "stats/as_of_projection.hpp"

#include <map>

#include "stats/parallel_ranges.hpp"
#include "stats/projection_reader.hpp"

namespace nemis::stats {
namespace {

// Each student's states before the cut, oldest first: the last one put wins.
constexpr std::string_view kStatesBefore =
    "SELECT student_id, school_id, stage, grade, grade_mark, class_no, gender, ethnicity, "
    "left_behind, migrant_child, orphan, martyr_child, in_regular_class, boarding, "
    "disability_type, hukou_type, status, birth_date, entry_date FROM student_history "
    "WHERE valid_from < $1 AND student_id > $2 AND student_id <= $3 "
    "ORDER BY student_id, valid_from, id";
constexpr std::string_view kPromotionsBefore =
    "SELECT org_id, promotions FROM org_promotion_history WHERE valid_from < $1 "
    "ORDER BY org_id, valid_from, id";
constexpr std::string_view kLastHistoryStudent = "SELECT MAX(student_id) FROM student_history";
// Each institution's states before the cut, oldest first (a read's columns; the name and the
// promotions are set apart).
constexpr std::string_view kOrgStatesBefore =
    "SELECT org_id, code, level, parent_code, '', province_code, city_code, county_code, "
    "category, school_type, urban_rural, status, 0 FROM org_history WHERE valid_from < $1 "
    "ORDER BY org_id, valid_from, id";

// The institutions as they were at the cut: today's rows, each replaced by its last state
// before the cut (its name kept: a form names an institution as it is called now); an
// institution created later keeps today's row (it has no student as of then).
Status SetOrgsAsOf(db::Connection& c, const std::string& cut, OrgTable& orgs) {
  NEMIS_ASSIGN_OR_RETURN(auto states, ReadOrgStates(c, kOrgStatesBefore, {cut}));
  for (auto& state : states) {
    const OrgEntry* now = orgs.ById(state.institution.id);
    if (now) state.institution.name = now->institution.name;
    orgs.Put(std::move(state));  // a later state of the same institution replaces it
  }
  return {};
}

// The schools' promotion counts as of the cut (0 for a school not yet promoted then).
Status SetPromotionsAsOf(db::Connection& c, const std::string& cut, OrgTable& orgs) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kPromotionsBefore, {cut}));
  std::map<int64_t, int64_t> promotions;
  for (const auto& row : rs.rows) promotions[row.Int(0)] = row.Int(1);
  for (int64_t id = 0; id < orgs.IdLimit(); ++id) {
    const OrgEntry* e = orgs.ById(id);
    if (!e) continue;
    OrgEntry then = *e;
    auto it = promotions.find(id);
    then.promotions = it == promotions.end() ? 0 : it->second;
    orgs.Put(std::move(then));
  }
  return {};
}

}  // namespace

std::string EndOfDayInChinaUtc(Date day) {
  using namespace std::chrono;  // NOLINT(google-build-using-namespace)
  const sys_days next{days{day.DaysSinceEpoch() + 1}};
  return FormatUtc(time_point_cast<system_clock::duration>(next - hours(8)));
}

Result<std::unique_ptr<Projection>> LoadAsOf(db::Database& db, Date day, int64_t batch,
                                             int threads) {
  const std::string cut = EndOfDayInChinaUtc(day);
  auto p = std::make_unique<Projection>();
  NEMIS_ASSIGN_OR_RETURN(
      auto orgs, db.Read<std::vector<OrgEntry>>([](db::Connection& c) { return ReadOrgs(c); }));
  for (auto& org : orgs) p->orgs.Put(std::move(org));
  NEMIS_TRY(db.WithReader([&](db::Connection& c) -> Status {
    NEMIS_TRY(SetOrgsAsOf(c, cut, p->orgs));
    return SetPromotionsAsOf(c, cut, p->orgs);
  }));
  NEMIS_ASSIGN_OR_RETURN(int64_t last_id,
                         db.Read<int64_t>([](db::Connection& c) -> Result<int64_t> {
                           NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kLastHistoryStudent));
                           return rs.rows.at(0).Int(0);
                         }));
  p->students.Reserve(static_cast<size_t>(last_id) + 1);
  NEMIS_TRY(ReadRangesInParallel(
      last_id, batch, threads,
      [&](int64_t after, int64_t upto) {
        return db.Read<std::vector<StudentFacts>>([&](db::Connection& c) {
          return ReadStudentStates(c, kStatesBefore, {cut, after, upto});
        });
      },
      [&](std::vector<StudentFacts>& states) -> Status {
        // A range's states are in order; ranges are apart: the last put of a student wins.
        for (const auto& s : states) NEMIS_TRY(p->students.Put(s));
        return {};
      }));
  return p;
}

}  // namespace nemis::stats
