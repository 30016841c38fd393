#include "staff/hr_sync.hpp"

#include <optional>

#include "org/org_store.hpp"
#include "staff/hr_record_check.hpp"
#include "staff/staff_personal.hpp"

namespace nemis::staff {
namespace {

// The schools records name, looked up once a run; null for a code that is not a school here.
class Units {
 public:
  explicit Units(db::Database& db) : orgs_(db) {}
  const org::Institution* Find(const std::string& code) {
    auto [at, added] = cache_.try_emplace(code);
    if (added) {
      auto found = orgs_.Get(org::Scope::Everything(), code);
      if (found.ok() && found->level == org::OrgLevel::kSchool && found->province_code)
        at->second = std::move(*found);
    }
    return at->second ? &*at->second : nullptr;
  }

 private:
  org::OrgStore orgs_;
  std::map<std::string, std::optional<org::Institution>> cache_;
};

// A record ready to be applied: its checks passed and its school found.
struct Sound {
  const HrStaffRecord* record;
  CheckedRecord checked;
  const org::Institution* school;
};

Result<std::string> Cursor(db::Database& db) {
  return db.Read<std::string>([](db::Connection& c) -> Result<std::string> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT cursor FROM hr_feed WHERE id = 1"));
    return rs.rows.empty() ? std::string() : rs.rows[0].Text(0);
  });
}

// Moves the cursor from `after` to `next`; conflict when another run moved it meanwhile.
Status MoveCursor(db::Connection& c, const std::string& after, const std::string& next,
                  const std::string& now) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT cursor FROM hr_feed WHERE id = 1"));
  if ((rs.rows.empty() ? std::string() : rs.rows[0].Text(0)) != after)
    return Error::Conflict("hr_feed_moved", "另一次同步已推进人社数据的读取位置：请稍后再运行");
  if (rs.rows.empty())
    NEMIS_TRY(
        c.Query("INSERT INTO hr_feed (id, cursor, synced_at) VALUES (1, $1, $2)", {next, now}));
  else
    NEMIS_TRY(c.Query("UPDATE hr_feed SET cursor = $1, synced_at = $2 WHERE id = 1", {next, now}));
  return {};
}

constexpr std::string_view kHeld =
    "SELECT id, personal, school_id, post, title, status, hr_changed_at FROM staff "
    "WHERE id_index = $1";
constexpr std::string_view kInsert =
    "INSERT INTO staff (id_index, personal, gender, birth_date, school_id, school_code, "
    "province_code, city_code, county_code, post, title, status, hr_changed_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
constexpr std::string_view kUpdate =
    "UPDATE staff SET personal = $1, school_id = $2, school_code = $3, province_code = $4, "
    "city_code = $5, county_code = $6, post = $7, title = $8, status = $9, hr_changed_at = $10, "
    "updated_at = $11 WHERE id = $12";

// Whether the row held says what `s` says (the name read from its sealed fields).
Result<bool> Same(const crypto::FieldCipher& cipher, const db::Row& held, const Sound& s) {
  if (held.Int(2) != s.school->id || held.Text(3) != s.record->post ||
      held.Text(4) != s.record->title || held.Text(5) != s.record->status)
    return false;
  NEMIS_ASSIGN_OR_RETURN(StaffPersonal p, OpenStaffPersonal(cipher, held.Text(1)));
  return p.name == s.record->name;
}

Status Apply(db::Connection& c, const crypto::FieldCipher& cipher, const Sound& s,
             const std::string& now, HrSyncReport& report) {
  const HrStaffRecord& r = *s.record;
  const org::Institution& school = *s.school;
  const std::string index = StaffIdIndex(cipher, r.id_number);
  NEMIS_ASSIGN_OR_RETURN(auto held, c.Query(kHeld, {index}));
  const std::string personal = SealStaffPersonal(cipher, {r.id_number, r.name});
  if (held.rows.empty()) {
    NEMIS_TRY(
        c.Query(kInsert, {index, personal, s.checked.gender, s.checked.birth_date, school.id,
                          school.code, school.province_code, school.city_code, school.county_code,
                          r.post, r.title, r.status, s.checked.changed_at, now}));
    ++report.added;
    return {};
  }
  const db::Row& row = held.rows[0];
  if (row.Text(6) > s.checked.changed_at) {
    ++report.older;
    return {};
  }
  NEMIS_ASSIGN_OR_RETURN(bool same, Same(cipher, row, s));
  if (same) {
    ++report.unchanged;
    return {};
  }
  NEMIS_TRY(c.Query(kUpdate, {personal, school.id, school.code, school.province_code,
                              school.city_code, school.county_code, r.post, r.title, r.status,
                              s.checked.changed_at, now, row.Int(0)}));
  ++report.updated;
  return {};
}

// The page's records that can be kept; the others counted in `report` by reason.
std::vector<Sound> SoundRecords(const HrPage& page, Units& units, const Date& today,
                                HrSyncReport& report) {
  std::vector<Sound> sound;
  for (const HrStaffRecord& r : page.records) {
    Sound s{&r, {}, nullptr};
    std::optional<std::string> problem = RecordProblem(r, today, s.checked);
    if (!problem && !(s.school = units.Find(r.unit_code))) problem = "unknown_unit";
    if (problem)
      ++report.rejected[*problem];
    else
      sound.push_back(s);
  }
  return sound;
}

struct PageOutcome {
  bool more = false;   // the feed has more after this page
  bool moved = false;  // the cursor moved
};

// One page: read, check, apply with the cursor.
Result<PageOutcome> SyncPage(db::Database& db, const crypto::FieldCipher& cipher,
                             const ReadHrChanges& read, const HrSyncOptions& options, Units& units,
                             HrSyncReport& report) {
  NEMIS_ASSIGN_OR_RETURN(const std::string after, Cursor(db));
  report.cursor = after;
  NEMIS_ASSIGN_OR_RETURN(const HrPage page, read(after, options.limit));
  HrSyncReport counted;  // this page's counts, added once its transaction commits
  const std::vector<Sound> sound = SoundRecords(page, units, options.today, counted);
  NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
    counted.added = counted.updated = counted.unchanged = counted.older = 0;
    for (const Sound& s : sound) NEMIS_TRY(Apply(c, cipher, s, options.now, counted));
    return MoveCursor(c, after, page.next, options.now);
  }));
  ++report.pages;
  report.records += static_cast<int64_t>(page.records.size());
  report.added += counted.added;
  report.updated += counted.updated;
  report.unchanged += counted.unchanged;
  report.older += counted.older;
  for (const auto& [reason, n] : counted.rejected) report.rejected[reason] += n;
  report.cursor = page.next;
  return PageOutcome{page.more, page.next != after};
}

// A feed answering "more" without moving on is asked again (it may deliver a page twice),
// but not forever.
constexpr int kMostStillPages = 3;

}  // namespace

HrSyncReport SyncStaffFromHr(db::Database& db, const crypto::FieldCipher& cipher,
                             const ReadHrChanges& read, const HrSyncOptions& options) {
  HrSyncReport report;
  Units units(db);
  for (int still = 0;;) {
    auto page = SyncPage(db, cipher, read, options, units, report);
    if (!page.ok()) {
      report.stopped = std::move(page).error();
      break;
    }
    if (!page->more) break;
    still = page->moved ? 0 : still + 1;
    if (still == kMostStillPages) {
      report.stopped = Error{ErrorKind::kUnavailable,
                             "bad_answer",
                             "人社部门的数据接口连续 " + std::to_string(still) +
                                 " 次答复“还有更多”却没有前进：稍后再运行",
                             {}};
      break;
    }
  }
  return report;
}

}  // namespace nemis::staff
