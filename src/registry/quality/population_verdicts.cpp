#include "registry/quality/population_verdicts.hpp"

#include <array>
#include <optional>
#include <span>

#include "base/text.hpp"
#include "codes/id_number.hpp"
#include "registry/personal_record.hpp"

namespace nemis::registry::quality {
namespace {

constexpr size_t kBatch = 1000;
constexpr std::string_view kHolder =
    "SELECT id, name FROM student WHERE id_type = '1' AND id_index = $1";
constexpr std::string_view kKeep =
    "UPDATE student SET population_check = $1, population_checked_on = $2 WHERE id = $3 "
    "AND (population_check IS NULL OR population_check <> $1 OR population_checked_on <> $2)";

struct Column {
  std::string_view chinese, english;
};
constexpr std::array<Column, 3> kColumns = {
    {{"身份证件号", "idNumber"}, {"姓名", "name"}, {"核查结果", "verdict"}}};

struct Verdict : PopulationVerdict {
  uint64_t line = 0;
};

// A CSV line's fields: commas separate, a field may be quoted ("" for a quote).
std::vector<std::string> Fields(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted && ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      out.back() += '"';
      ++i;
    } else if (ch == '"') {
      quoted = !quoted;
    } else if (ch == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back() += ch;
    }
  }
  for (auto& f : out) f = std::string(TrimSpaces(f));
  return out;
}

// The position of each of kColumns in the header; errors name a missing one.
std::optional<std::array<size_t, 3>> HeaderPositions(const std::vector<std::string>& header,
                                                     std::vector<VerdictLineError>& errors) {
  std::array<size_t, 3> at{};
  for (size_t c = 0; c < kColumns.size(); ++c) {
    at[c] = header.size();
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == kColumns[c].chinese || header[i] == kColumns[c].english) at[c] = i;
    if (at[c] == header.size())
      errors.push_back({1, std::string(kColumns[c].chinese), "missing_column",
                        "缺少列“" + std::string(kColumns[c].chinese) + "”"});
  }
  if (!errors.empty()) return std::nullopt;
  return at;
}

void CheckRow(Verdict& v, std::vector<VerdictLineError>& errors) {
  v.id_number = codes::NormalizeIdNumber(v.id_number);
  if (v.id_number.size() != 18 ||
      v.id_number.find_first_not_of("0123456789X") != std::string::npos ||
      v.id_number.find('X') < 17)
    errors.push_back({v.line, "身份证件号", "bad_id_number", "身份证件号须为 18 位"});
  if (v.name.empty()) errors.push_back({v.line, "姓名", "required", "姓名不能为空"});
  if (auto code = PopulationVerdictCode(v.verdict))
    v.verdict = *code;
  else
    errors.push_back({v.line, "核查结果", "bad_verdict",
                      "核查结果“" + v.verdict + "”须为 一致、查无此人 或 姓名不符"});
}

std::vector<Verdict> ReadVerdicts(std::istream& in, std::vector<VerdictLineError>& errors) {
  std::vector<Verdict> out;
  std::string line;
  if (!std::getline(in, line)) {
    errors.push_back({1, "", "empty_file", "文件为空"});
    return out;
  }
  if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  auto at = HeaderPositions(Fields(line), errors);
  if (!at) return out;
  for (uint64_t n = 2; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (TrimSpaces(line).empty()) continue;
    if (!IsValidUtf8(line)) {
      errors.push_back({n, "", "invalid_encoding", "该行不是 UTF-8 文本"});
      continue;
    }
    std::vector<std::string> f = Fields(line);
    f.resize(std::max(f.size(), (*at)[2] + 1));
    Verdict v;
    v.line = n;
    v.id_number = f[(*at)[0]];
    v.name = f[(*at)[1]];
    v.verdict = f[(*at)[2]];
    CheckRow(v, errors);
    out.push_back(std::move(v));
  }
  return out;
}

// Keeps one batch's verdicts on their students, in one transaction.
Status KeepBatch(db::Connection& c, const crypto::FieldCipher& cipher,
                 std::span<const PopulationVerdict> batch, const std::string& today, bool dry_run,
                 VerdictReport& report) {
  for (const PopulationVerdict& v : batch) {
    const std::string index = DocumentIndex(cipher, v.id_number);
    NEMIS_ASSIGN_OR_RETURN(auto holder, c.Query(kHolder, {index}));
    if (holder.rows.empty()) {
      ++report.not_registered;
      continue;
    }
    if (holder.rows[0].Text(1) != v.name) {  // corrected since it was sent: check again
      ++report.renamed;
      continue;
    }
    ++(v.verdict == "match"     ? report.match
       : v.verdict == "unknown" ? report.unknown
                                : report.name_mismatch);
    if (dry_run) continue;
    const int64_t id = holder.rows[0].Int(0);
    NEMIS_TRY(c.Query(kKeep, {v.verdict, today, id}));
  }
  return {};
}

}  // namespace

std::optional<std::string> PopulationVerdictCode(std::string_view text) {
  if (text == "一致" || text == "match") return "match";
  if (text == "查无此人" || text == "unknown") return "unknown";
  if (text == "姓名不符" || text == "name_mismatch") return "name_mismatch";
  return std::nullopt;
}

Result<VerdictReport> KeepPopulationVerdicts(db::Database& db, const crypto::FieldCipher& cipher,
                                             std::span<const PopulationVerdict> verdicts,
                                             const std::string& today, bool dry_run) {
  VerdictReport report;
  report.dry_run = dry_run;
  for (size_t from = 0; from < verdicts.size(); from += kBatch) {
    auto batch = verdicts.subspan(from, std::min(kBatch, verdicts.size() - from));
    VerdictReport tally;  // counted again if the store retries the transaction
    NEMIS_TRY(db.WithWriter([&](db::Connection& c) {
      tally = {};
      return KeepBatch(c, cipher, batch, today, dry_run, tally);
    }));
    report.match += tally.match;
    report.unknown += tally.unknown;
    report.name_mismatch += tally.name_mismatch;
    report.not_registered += tally.not_registered;
    report.renamed += tally.renamed;
  }
  return report;
}

Result<VerdictReport> ApplyPopulationVerdicts(db::Database& db, const crypto::FieldCipher& cipher,
                                              std::istream& in, const std::string& today,
                                              bool dry_run) {
  VerdictReport read;
  std::vector<Verdict> verdicts = ReadVerdicts(in, read.errors);
  read.rows = static_cast<int64_t>(verdicts.size());
  if (!read.errors.empty()) return read;
  std::vector<PopulationVerdict> checked(verdicts.begin(), verdicts.end());
  NEMIS_ASSIGN_OR_RETURN(VerdictReport report,
                         KeepPopulationVerdicts(db, cipher, checked, today, dry_run));
  report.rows = read.rows;
  return report;
}

}  // namespace nemis::registry::quality
