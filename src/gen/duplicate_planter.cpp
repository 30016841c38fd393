#include "gen/duplicate_planter.hpp"

#include <fstream>
#include <map>
#include <optional>

#include "codes/pinyin.hpp"
#include "gen/pools.hpp"
#include "gen/random.hpp"
#include "gen/students.hpp"

namespace nemis::gen {
namespace {

constexpr const char* kForms[] = {"exact", "homophone", "typo", "guardian"};

// Roster columns the planter reads or changes (by header name).
struct Columns {
  size_t name, birth, gender, id_type, id_number, school, stage, guardian_id, school_name,
      school_type, division;
};

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',')
      out.emplace_back();
    else
      out.back().push_back(c);
  }
  return out;
}

std::string Join(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + fields[i];
  return out;
}

Result<Columns> FindColumns(const std::string& header) {
  std::vector<std::string> names = Split(header);
  auto at = [&](std::string_view name) -> size_t {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return i;
    return names.size();
  };
  Columns c{at("姓名"),       at("出生日期"),     at("性别"),        at("身份证件类型"),
            at("身份证件号"), at("学校标识码"),   at("学段"),        at("监护人1身份证件号"),
            at("学校名称"),   at("学校办学类型"), at("学校所在区划")};
  for (size_t i : {c.name, c.birth, c.gender, c.id_type, c.id_number, c.school, c.stage,
                   c.guardian_id, c.school_name, c.school_type, c.division})
    if (i >= names.size()) return Error::Internal("gen roster header lacks a planter column");
  return c;
}

// Name characters by syllable, for homophones and typos.
struct NamePool {
  std::vector<std::string_view> all;
  std::map<std::string_view, std::vector<std::string_view>> by_syllable;

  NamePool() {
    for (auto pool : {MaleNameCharacters(), FemaleNameCharacters()})
      for (std::string_view ch : pool) {
        auto cps = codes::DecodeUtf8(ch);
        std::string_view syllable = cps.size() == 1 ? codes::PinyinOf(cps[0]) : "";
        if (syllable.empty()) continue;
        all.push_back(ch);
        by_syllable[syllable].push_back(ch);
      }
  }
};

// The name as characters, each a UTF-8 string; empty if any lacks a syllable.
std::vector<std::string> NameCharacters(const std::string& name) {
  std::vector<std::string> out;
  for (char32_t cp : codes::DecodeUtf8(name)) {
    if (codes::PinyinOf(cp).empty()) return {};
    if (cp >= 0x10000) return {};  // planted from names of the basic plane only
    out.push_back({static_cast<char>(0xE0 | (cp >> 12)),
                   static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
                   static_cast<char>(0x80 | (cp & 0x3F))});
  }
  return out;
}

std::string Concat(const std::vector<std::string>& chars) {
  std::string out;
  for (const auto& c : chars) out += c;
  return out;
}

class Planter {
 public:
  Planter(const std::vector<GenSchool>& schools, uint64_t seed) : rng_(seed, /*stream=*/0xD0B1) {
    for (const GenSchool& s : schools) by_type_[s.school_type].push_back(&s);
  }

  // The copy of `fields` in form `form`, or nothing when the row does not suit it.
  std::optional<std::vector<std::string>> Copy(std::vector<std::string> f, const Columns& c,
                                               int form) {
    if (f[c.id_type] != "1" || f[c.stage] == "高校" || f[c.guardian_id].empty()) return {};
    std::vector<std::string> chars = NameCharacters(f[c.name]);
    if (chars.size() < 2) return {};
    const GenSchool* other = OtherSchool(f[c.school_type], f[c.school]);
    if (!other) return {};
    if (form == 1 && !Homophone(chars)) return {};
    if (form == 2 && !Typo(chars)) return {};
    if (form == 3) MistypeDay(f[c.birth]);
    f[c.name] = Concat(chars);
    f[c.id_type].clear();
    f[c.id_number].clear();
    f[c.school] = other->code;
    f[c.school_name] = other->name;
    f[c.school_type] = other->school_type;
    f[c.division] = other->division;
    return f;
  }

 private:
  // Another school of the same type (so the same stages and grades), if there is one.
  const GenSchool* OtherSchool(const std::string& type, const std::string& code) {
    auto it = by_type_.find(type);
    if (it == by_type_.end() || it->second.size() < 2) return nullptr;
    const auto& same = it->second;
    size_t i = rng_.Below(static_cast<uint32_t>(same.size()));
    if (same[i]->code == code) i = (i + 1) % same.size();
    return same[i];
  }

  bool Homophone(std::vector<std::string>& chars) {
    for (size_t i = chars.size() - 1; i >= 1; --i) {
      auto cps = codes::DecodeUtf8(chars[i]);
      auto it = pool_.by_syllable.find(codes::PinyinOf(cps[0]));
      if (it == pool_.by_syllable.end()) continue;
      for (std::string_view alt : it->second)
        if (alt != chars[i]) return chars[i] = std::string(alt), true;
    }
    return false;
  }

  bool Typo(std::vector<std::string>& chars) {
    if (chars.size() < 3) return false;
    std::string_view was = codes::PinyinOf(codes::DecodeUtf8(chars.back())[0]);
    for (int tries = 0; tries < 20; ++tries) {
      std::string_view alt = pool_.all[rng_.Below(static_cast<uint32_t>(pool_.all.size()))];
      if (codes::PinyinOf(codes::DecodeUtf8(alt)[0]) != was) return chars.back() = alt, true;
    }
    return false;
  }

  // YYYY-MM-DD: the day moved by 1 to 9 within 1..28, as a slip of the keyboard.
  void MistypeDay(std::string& birth) {
    int day = std::stoi(birth.substr(8, 2));
    int moved = day + 1 + static_cast<int>(rng_.Below(9));
    if (moved > 28) moved = day - 1 - static_cast<int>(rng_.Below(static_cast<uint32_t>(day - 1)));
    if (moved < 1) moved = day == 1 ? 2 : 1;
    birth.replace(8, 2, (moved < 10 ? "0" : "") + std::to_string(moved));
  }

  Rng rng_;
  NamePool pool_;
  std::map<std::string, std::vector<const GenSchool*>> by_type_;
};

}  // namespace

std::string PlantedTruthPath(const std::string& roster_path) {
  return roster_path + ".planted.csv";
}

Status PlantDuplicates(const GenOptions& options, const std::vector<GenSchool>& schools,
                       uint64_t count, const std::string& roster_path) {
  const uint64_t total = options.students;
  if (count == 0) return {};
  if (count > total / 4)
    return Error::BadRequest("too_many_duplicates", "植入的重复学籍不能超过学生总数的四分之一");
  // One copy per slot of total/count rows, from a random row of the slot on (the next
  // suitable row, maybe in a later slot): spread over the province's schools.
  Rng pick(options.seed, /*stream=*/0xD0B2);
  const uint64_t slot = total / count;
  std::vector<uint64_t> starts(count);
  for (uint64_t j = 0; j < count; ++j)
    starts[j] = j * slot + pick.Below(static_cast<uint32_t>(slot));

  std::ifstream in(roster_path);
  std::string line;
  if (!std::getline(in, line)) return Error::Internal("gen roster is empty");
  NEMIS_ASSIGN_OR_RETURN(Columns c, FindColumns(line));
  Planter planter(schools, options.seed);
  std::vector<std::string> copies, truth;
  uint64_t due = 0;  // slots whose start row has been passed
  for (uint64_t row = 0; std::getline(in, line) && copies.size() < count; ++row) {
    while (due < count && starts[due] <= row) ++due;
    if (copies.size() >= due) continue;
    std::vector<std::string> f = Split(line);
    int form = static_cast<int>(copies.size() % std::size(kForms));
    auto copy = planter.Copy(f, c, form);
    if (!copy) continue;
    copies.push_back(Join(*copy));
    truth.push_back(std::string(kForms[form]) + "," + std::to_string(row + 2) + "," +
                    std::to_string(total + copies.size() + 1) + "," + f[c.school] + "," +
                    (*copy)[c.school] + "," + f[c.id_number] + "," + (*copy)[c.name] + "," +
                    (*copy)[c.birth] + "," + f[c.gender]);
  }
  in.close();
  if (copies.size() < count)
    return Error::BadRequest("too_many_duplicates", "可用于植入重复学籍的学生不足");
  std::ofstream out(roster_path, std::ios::app);
  for (const auto& copy : copies) out << copy << "\n";
  std::ofstream truth_out(PlantedTruthPath(roster_path));
  truth_out << kPlantedHeader;
  for (const auto& t : truth) truth_out << t << "\n";
  if (!out || !truth_out) return Error::Internal("无法写入植入的重复学籍");
  return {};
}

}  // namespace nemis::gen
