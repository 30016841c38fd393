#include "registry/quality/duplicate_finder.hpp"

#include <algorithm>
#include <functional>
#include <utility>

#include "codes/pinyin.hpp"
#include "registry/quality/pair_score.hpp"

namespace nemis::registry::quality {
namespace {

using Keyed = std::pair<uint64_t, uint32_t>;  // (key, row index)
using Pair = std::pair<uint32_t, uint32_t>;   // row indexes, lower first

uint64_t Mix(uint64_t a, uint64_t b) {
  return a ^ (b + 0x9E3779B97F4A7C15ULL + (a << 6) + (a >> 2));
}

void AddPair(const std::vector<ScanRow>& rows, ProblemKind kind, uint32_t i, uint32_t j,
             std::vector<Finding>& out) {
  const ScanRow &a = rows[i], &b = rows[j];
  out.push_back(PairFinding(kind, a.id, a.school_id, b.id, b.school_id));
}

// Calls `each(i, j)` for every pair of rows within each run of equal keys in `keyed`
// (sorted here), runs longer than kMaxBlockRun excepted.
void ForEachRunPair(std::vector<Keyed>& keyed,
                    const std::function<void(uint32_t, uint32_t)>& each) {
  std::sort(keyed.begin(), keyed.end());
  for (size_t begin = 0; begin < keyed.size();) {
    size_t end = begin + 1;
    while (end < keyed.size() && keyed[end].first == keyed[begin].first) ++end;
    if (end - begin <= kMaxBlockRun)
      for (size_t x = begin; x < end; ++x)
        for (size_t y = x + 1; y < end; ++y) each(keyed[x].second, keyed[y].second);
    begin = end;
  }
}

// The similarity keys of a name: its pinyin, and the name with each character left out
// (with the position and length, so that only same-length names one character apart meet).
void SimilarityKeys(const ScanRow& row, uint32_t index, std::vector<Keyed>& out) {
  out.emplace_back(Mix(1, TextKey(codes::NamePinyin(row.name))), index);
  std::vector<char32_t> cps = codes::DecodeUtf8(row.name);
  if (cps.size() < 2) return;
  for (size_t skip = 0; skip < cps.size(); ++skip) {
    uint64_t key = Mix(2 + skip, cps.size());
    for (size_t k = 0; k < cps.size(); ++k)
      if (k != skip) key = Mix(key, cps[k]);
    out.emplace_back(key, index);
  }
}

// One (birth date, gender) block, rows order[begin, end) sorted by name.
void ScanBlock(const std::vector<ScanRow>& rows, const std::vector<uint32_t>& order, size_t begin,
               size_t end, int threshold, std::vector<Finding>& out) {
  for (size_t x = begin; x < end;) {  // same name
    size_t y = x + 1;
    while (y < end && rows[order[y]].name == rows[order[x]].name) ++y;
    if (y - x <= kMaxBlockRun)
      for (size_t i = x; i < y; ++i)
        for (size_t j = i + 1; j < y; ++j) {
          const ScanRow &a = rows[order[i]], &b = rows[order[j]];
          bool no_ids = !a.has_id && !b.has_id;
          AddPair(rows, no_ids ? ProblemKind::kNoIdSamePerson : ProblemKind::kSameNameBirth,
                  order[i], order[j], out);
        }
    x = y;
  }
  std::vector<Keyed> keyed;
  for (size_t i = begin; i < end; ++i) SimilarityKeys(rows[order[i]], order[i], keyed);
  std::vector<Pair> candidates;
  ForEachRunPair(keyed, [&](uint32_t i, uint32_t j) {
    if (rows[i].name != rows[j].name) candidates.emplace_back(std::min(i, j), std::max(i, j));
  });
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  for (auto [i, j] : candidates) {
    NameComparison names = CompareNames(rows[i].name, rows[j].name);
    int score = SimilarityScore(rows[i], rows[j], names);
    if (score == 0 || score < threshold) continue;
    AddPair(rows, ProblemKind::kSimilarName, i, j, out);
    out.back().score = score;
    out.back().details = SimilarityDetails(rows[i], rows[j], names);
  }
}

void FindByBirthAndGender(std::vector<ScanRow>& rows, int threshold, std::vector<Finding>& out) {
  std::sort(rows.begin(), rows.end(), [](const ScanRow& a, const ScanRow& b) {
    return std::tie(a.birth, a.gender, a.name, a.id) < std::tie(b.birth, b.gender, b.name, b.id);
  });
  std::vector<uint32_t> order(rows.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  for (size_t begin = 0; begin < rows.size();) {
    size_t end = begin + 1;
    while (end < rows.size() && rows[end].birth == rows[begin].birth &&
           rows[end].gender == rows[begin].gender)
      ++end;
    if (end - begin > 1) ScanBlock(rows, order, begin, end, threshold, out);
    begin = end;
  }
}

void FindByGuardian(const std::vector<ScanRow>& rows, std::vector<Finding>& out) {
  std::vector<Keyed> keyed;
  for (uint32_t i = 0; i < rows.size(); ++i) {
    const ScanRow& r = rows[i];
    uint64_t name = TextKey(r.name);
    if (r.g1_key != 0) keyed.emplace_back(Mix(r.g1_key, name), i);
    if (r.g2_key != 0 && r.g2_key != r.g1_key) keyed.emplace_back(Mix(r.g2_key, name), i);
  }
  ForEachRunPair(keyed, [&](uint32_t i, uint32_t j) {
    if (i == j || rows[i].name != rows[j].name) return;
    AddPair(rows, ProblemKind::kSameGuardianName, i, j, out);
    if (rows[i].birth != rows[j].birth) out.back().details = R"({"birthDiffers":true})";
  });
}

void FindByDocument(const std::vector<ScanRow>& rows, std::vector<Finding>& out) {
  std::vector<Keyed> keyed;
  for (uint32_t i = 0; i < rows.size(); ++i)
    if (rows[i].id_key != 0) keyed.emplace_back(rows[i].id_key, i);
  ForEachRunPair(
      keyed, [&](uint32_t i, uint32_t j) { AddPair(rows, ProblemKind::kSameIdNumber, i, j, out); });
}

// One finding per pair: the surest kind (the lowest enum value).
void KeepSurest(std::vector<Finding>& found) {
  std::sort(found.begin(), found.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.student_id, a.other_id, a.kind) < std::tie(b.student_id, b.other_id, b.kind);
  });
  found.erase(std::unique(found.begin(), found.end(),
                          [](const Finding& a, const Finding& b) {
                            return a.student_id == b.student_id && a.other_id == b.other_id;
                          }),
              found.end());
}

}  // namespace

std::vector<Finding> FindDuplicates(std::vector<ScanRow>& rows, int threshold) {
  std::vector<Finding> found;
  FindByBirthAndGender(rows, threshold, found);
  FindByGuardian(rows, found);
  FindByDocument(rows, found);
  KeepSurest(found);
  return found;
}

}  // namespace nemis::registry::quality
