#include "gen/student_rows.hpp"

#include <algorithm>

#include "gen/pools.hpp"

namespace nemis::gen {
namespace {

using codes::Stage;

constexpr std::string_view kDisabilityTypes[] = {"1", "2", "3", "4", "5", "6", "7"};
constexpr double kDisabilityWeights[] = {10, 10, 10, 25, 30, 5, 10};
// Mixed special schools (515): 言语, 肢体, 精神, 多重.
constexpr std::string_view kMixedSpecial[] = {"3", "4", "6", "7"};
constexpr std::string_view kForeignNationalities[] = {
    "840", "392", "410", "704", "764", "458", "702", "124", "036", "826", "276", "250", "643"};
// Guardians' birth years: parents, and grandparents raising left-behind children.
constexpr int kParentYears[] = {1970, 1995};
constexpr int kGrandparentYears[] = {1950, 1969};
constexpr const char* kFull = "身份证号码已分配完：学生人数超出生成器容量";

// Students without a Chinese ID: 香港, 澳门, 台湾 compatriots and foreigners, with the
// document each uses and the share (cumulative) among them.
struct ForeignKind {
  double upto;
  char id_type;
  std::string_view nationality, overseas;
  char prefix;  // letter before 8 digits: 回乡证 H/M, passport E
};
constexpr ForeignKind kForeignKinds[] = {
    {0.35, '6', "344", "1", 'H'},
    {0.50, '7', "446", "3", 'M'},
    {0.70, '8', "158", "5", 0},
    {1.0, 'A', "", "42", 'E'},
};

const ForeignKind& PickForeignKind(double u) {
  for (const ForeignKind& k : kForeignKinds)
    if (u < k.upto) return k;
  return kForeignKinds[3];
}

template <class Pool>
const auto& PickFrom(const Pool& pool, Rng& rng) {
  return pool[rng.Below(static_cast<uint32_t>(std::size(pool)))];
}

bool ChildStage(Stage s) {
  return s == Stage::kPreschool || s == Stage::kPrimary || s == Stage::kJunior;
}
bool Compulsory(Stage s) { return s == Stage::kPrimary || s == Stage::kJunior; }

double ByLocality(Locality l, double urban, double town, double rural) {
  return l == Locality::kUrban ? urban : l == Locality::kTown ? town : rural;
}

double MigrantRate(const SchoolProfile& school, Stage stage) {
  if (school.higher) return 0.20;
  double rate = ByLocality(school.locality, 0.22, 0.12, 0.03);
  return ChildStage(stage) ? rate : rate / 2;
}

double BoardingRate(const SchoolProfile& school, Stage stage) {
  if (school.special) return 0.5;
  switch (stage) {
    case Stage::kPreschool:
      return 0;
    case Stage::kPrimary:
      return ByLocality(school.locality, 0.01, 0.05, 0.15);
    case Stage::kJunior:
      return ByLocality(school.locality, 0.10, 0.35, 0.60);
    case Stage::kSenior:
      return ByLocality(school.locality, 0.40, 0.70, 0.85);
    case Stage::kVocational:
      return 0.60;
    case Stage::kHigher:
      return 0.95;
  }
  return 0;
}

// A year drawn outside a generation's range lands a few years inside it instead.
int IntoRange(int year, const int (&range)[2], Rng& rng) {
  if (year < range[0]) return range[0] + rng.Between(0, 4);
  if (year > range[1]) return range[1] - rng.Between(0, 4);
  return year;
}

int YearOf(const DayText& day) {
  return (day.compact[0] - '0') * 1000 + (day.compact[1] - '0') * 100 +
         (day.compact[2] - '0') * 10 + (day.compact[3] - '0');
}

std::string_view SpecialCategory(std::string_view disability) {
  if (disability == "1") return "51100";
  if (disability == "2" || disability == "3") return "51200";
  if (disability == "5") return "51300";
  return "51400";
}

}  // namespace

RowMaker::RowMaker(const GenOptions& options, const std::vector<Place>& places, IdAllocator& ids,
                   CsvBuffer& out)
    : options_(options),
      ids_(ids),
      out_(out),
      rng_(options.seed, /*stream=*/0x57D0),
      local_places_(static_cast<uint32_t>(places.size())) {
  for (const Place& p : places) address_prefixes_.push_back(p.AddressPrefix());
  std::vector<double> national;
  for (const WeightedText& s : Surnames()) national.push_back(s.weight);
  std::vector<double> local = SurnameWeights(options.province);
  local_surnames_ = WeightedTable(local);
  national_surnames_ = WeightedTable(national);
  std::vector<double> ethnic;
  for (const WeightedText& e : Ethnicities()) ethnic.push_back(e.weight);
  ethnicities_ = WeightedTable(ethnic);
  disabilities_ = WeightedTable(kDisabilityWeights);
  for (int grade = -2; grade <= 17; ++grade) {
    for (int older = 0; older <= 1; ++older) {
      // Grade 1 of school year Y: born Y-7-09-01 .. Y-6-08-31; each grade one year earlier.
      int64_t start = Date{options.school_year - 6 - grade - older, 9, 1}.DaysSinceEpoch();
      int64_t end = std::min(Date{options.school_year - 5 - grade - older, 8, 31}.DaysSinceEpoch(),
                             ids.last_day());
      start = std::clamp(start, ids.first_day(), end);
      birth_windows_.push_back({start, static_cast<uint32_t>(end - start + 1)});
    }
  }
  for (int year = kGrandparentYears[0]; year <= kParentYears[1]; ++year) {
    int64_t start = Date{year, 1, 1}.DaysSinceEpoch();
    year_windows_.push_back(
        {start, static_cast<uint32_t>(Date{year + 1, 1, 1}.DaysSinceEpoch() - start)});
  }
}

RowMaker::Window RowMaker::BirthWindow(int grade, bool older) const {
  return birth_windows_[static_cast<size_t>(grade + 2) * 2 + (older ? 1 : 0)];
}

RowMaker::Window RowMaker::YearWindow(int year) const {
  return year_windows_[static_cast<size_t>(year - kGrandparentYears[0])];
}

std::optional<int64_t> RowMaker::AllocateId(uint32_t region, int gender, Window window,
                                            uint32_t offset, char* out) {
  uint32_t regions = static_cast<uint32_t>(ids_.region_count());
  // A full (region, window) is practically impossible; move on to the next region if it happens.
  for (uint32_t i = 0; i < regions; ++i) {
    auto day =
        ids_.Allocate((region + i) % regions, gender, window.start, window.days, offset, out);
    if (day) return day;
  }
  return std::nullopt;
}

void RowMaker::DrawGivenName(int gender, std::string_view& first, std::string_view& second) {
  auto pool = gender == 1 ? MaleNameCharacters() : FemaleNameCharacters();
  first = PickFrom(pool, rng_);
  second = rng_.Chance(0.8) ? PickFrom(pool, rng_) : std::string_view();
  if (rng_.Chance(1.0 / 4000))
    (second.empty() ? first : second) = PickFrom(RareNameCharacters(), rng_);
}

// Where and when the student was registered; the ID itself is allocated later, once
// the counter it needs has been prefetched.
void RowMaker::PlanStudent(const SchoolProfile& school, const GradeSlot& slot, Student& s) {
  s.gender = rng_.Chance(0.52) ? 1 : 2;
  s.ethnicity = Ethnicities()[ethnicities_.Pick(rng_)].text;
  s.dotted = s.ethnicity == "05" || s.ethnicity == "17";
  s.window = BirthWindow(slot.grade, rng_.Chance(0.03));
  s.offset = rng_.Below(s.window.days);
  uint32_t home = school.place != kAnyPlace ? school.place : rng_.Below(local_places_);
  uint32_t migrant_sources = static_cast<uint32_t>(ids_.region_count()) - local_places_;
  s.migrant = migrant_sources > 0 && rng_.Chance(MigrantRate(school, slot.stage));
  s.region = s.migrant          ? local_places_ + rng_.Below(migrant_sources)
             : rng_.Chance(0.9) ? home
                                : rng_.Below(local_places_);
  s.address_place = s.migrant || school.place != kAnyPlace ? home : s.region;
  s.citizen = !rng_.Chance(0.003);
  if (s.citizen) {
    s.id_type = '1';
    s.nationality = "156";
    s.overseas = "0";
    s.id_length = 18;
    ids_.Prefetch(s.region, s.gender, s.window.start + s.offset);
  } else {
    DrawForeignDocument(s);
  }
}

void RowMaker::DrawForeignDocument(Student& s) {
  s.migrant = false;
  s.birth = s.window.start + s.offset;
  const ForeignKind& kind = PickForeignKind(rng_.Uniform());
  s.id_type = kind.id_type;
  s.nationality = kind.id_type == 'A' ? PickFrom(kForeignNationalities, rng_) : kind.nationality;
  s.overseas = kind.id_type == 'A' && rng_.Chance(0.3) ? "41" : kind.overseas;
  if (s.overseas == "42") {
    s.ethnicity = "97";
    s.dotted = false;
  }
  s.id_length = 0;
  if (rng_.Chance(0.15)) return;  // some leave the number blank
  if (kind.prefix != 0) s.id[s.id_length++] = kind.prefix;
  // Serial-derived numbers never repeat: 7919 is coprime to 10^8.
  uint64_t serial = (foreign_serial_++ * 7919 + 1234567) % 100000000;
  for (int i = 7; i >= 0; --i, serial /= 10)
    s.id[s.id_length + i] = static_cast<char>('0' + serial % 10);
  s.id_length += 8;
}

void RowMaker::NameStudent(Student& s) {
  if (s.dotted) {
    s.surname = {};
    s.given1 = PickFrom(s.gender == 1 ? UyghurMaleNames() : UyghurFemaleNames(), rng_);
    s.given2 = PickFrom(UyghurMaleNames(), rng_);
  } else {
    s.surname = Surnames()[(s.migrant ? national_surnames_ : local_surnames_).Pick(rng_)].text;
    DrawGivenName(s.gender, s.given1, s.given2);
  }
}

void RowMaker::DrawFlags(const SchoolProfile& school, const GradeSlot& slot, Student& s) {
  bool child = ChildStage(slot.stage);
  s.migrant_child = s.migrant && child;
  s.left_behind = "0";
  if (child && s.citizen && !s.migrant &&
      rng_.Chance(ByLocality(school.locality, 0.015, 0.05, 0.12)))
    s.left_behind = rng_.Chance(0.6) ? "2" : "1";
  s.orphan = rng_.Chance(0.001);
  s.martyr = rng_.Chance(0.0002);
  s.disability = {};
  s.in_regular_class = {};
  s.category = slot.category;
  if (school.special != 0) {
    s.disability = school.special == '0' ? PickFrom(kMixedSpecial, rng_)
                                         : kDisabilityTypes[school.special - '1'];
    s.in_regular_class = "0";
    s.category = SpecialCategory(s.disability);
  } else if (rng_.Chance(0.005)) {
    s.disability = kDisabilityTypes[disabilities_.Pick(rng_)];
    s.in_regular_class = Compulsory(slot.stage) ? "1" : "0";
  }
  s.hukou = !s.citizen  ? ""
            : s.migrant ? (rng_.Chance(0.7) ? "1" : "2")
            : rng_.Chance(ByLocality(school.locality, 0.15, 0.5, 0.8)) ? "1"
                                                                       : "2";
  s.boarding = rng_.Chance(BoardingRate(school, slot.stage)) ? "2" : "1";
  s.entry_method = {};
  if (Compulsory(slot.stage)) {
    s.entry_method = rng_.Chance(0.93) ? "11" : "12";
  } else if (slot.stage == Stage::kSenior || slot.stage == Stage::kVocational) {
    double r = rng_.Uniform();
    s.entry_method = r < 0.95 ? "21" : r < 0.97 ? "22" : "23";
  }
}

void RowMaker::PlanGuardian(const Student& s, std::string_view relation, int gender, Guardian& g) {
  g.relation = relation;
  g.gender = gender;
  int born = YearOf(ids_.Day(s.window.start + s.offset));
  int year = relation == "3"   ? IntoRange(born - rng_.Between(48, 62), kGrandparentYears, rng_)
             : relation == "1" ? IntoRange(born - rng_.Between(24, 38), kParentYears, rng_)
                               : IntoRange(born - rng_.Between(22, 35), kParentYears, rng_);
  g.window = YearWindow(year);
  g.offset = rng_.Below(g.window.days);
  // Families without a Chinese ID still name a guardian registered where they live.
  g.region = s.citizen ? s.region : s.address_place;
  ids_.Prefetch(g.region, gender, g.window.start + g.offset);
}

void RowMaker::PlanGuardians(Student& s) {
  int elder = rng_.Chance(0.5) ? 1 : 2;
  if (s.orphan) {
    PlanGuardian(s, "3", elder, s.g1);
    PlanGuardian(s, "5", rng_.Chance(0.5) ? 1 : 2, s.g2);
  } else if (s.left_behind == "2") {
    PlanGuardian(s, "3", elder, s.g1);
    PlanGuardian(s, "1", 1, s.g2);
  } else {
    bool father_first = s.left_behind == "0" && rng_.Chance(0.6);
    PlanGuardian(s, father_first ? "1" : "2", father_first ? 1 : 2, s.g1);
    PlanGuardian(s, father_first ? "2" : "1", father_first ? 2 : 1, s.g2);
  }
}

void RowMaker::NameGuardian(const Student& s, Guardian& g) {
  bool paternal = g.relation == "1" || (g.relation == "3" && rng_.Chance(0.5));
  if (s.dotted) {
    g.surname = {};
    g.given1 = g.relation == "1"
                   ? s.given2
                   : PickFrom(g.gender == 1 ? UyghurMaleNames() : UyghurFemaleNames(), rng_);
    g.given2 = {};
    g.dotted_father = PickFrom(UyghurMaleNames(), rng_);
  } else {
    g.surname =
        paternal ? s.surname
                 : Surnames()[(s.migrant ? national_surnames_ : local_surnames_).Pick(rng_)].text;
    g.dotted_father = {};
    DrawGivenName(g.gender, g.given1, g.given2);
  }
  std::string_view prefix = PickFrom(MobilePrefixes(), rng_);
  std::copy(prefix.begin(), prefix.end(), g.phone_prefix);
  g.phone = rng_.Below(100000000);
}

// Draws a whole student: plans first, so that the three ID counters the row needs are
// prefetched while names and flags are drawn.
Status RowMaker::DrawStudent(const SchoolProfile& school, const GradeSlot& slot, Student& s) {
  PlanStudent(school, slot, s);
  DrawFlags(school, slot, s);
  PlanGuardians(s);
  NameStudent(s);
  NameGuardian(s, s.g1);
  NameGuardian(s, s.g2);
  if (s.citizen) {
    auto birth = AllocateId(s.region, s.gender, s.window, s.offset, s.id);
    if (!birth) return Error::Internal(kFull);
    s.birth = *birth;
  }
  for (Guardian* g : {&s.g1, &s.g2})
    if (!AllocateId(g->region, g->gender, g->window, g->offset, g->id))
      return Error::Internal(kFull);
  return {};
}

}  // namespace nemis::gen
