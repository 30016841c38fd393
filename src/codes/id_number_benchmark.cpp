// Citizen ID validation is on the importer's hot path (10M rows per load).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "codes/division.hpp"
#include "codes/id_number.hpp"

namespace nemis::codes {
namespace {

void BM_CheckIdNumber(benchmark::State& state) {
  const std::vector<std::string> ids = {"11010519491231002X", "440524188001010014",
                                        "370101190102039973", "440106201809010016"};
  const Date today{2025, 11, 1};
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(CheckIdNumber(ids[i++ & 3], today, 0));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckIdNumber);

void BM_IsKnownDivision(benchmark::State& state) {
  const char* codes[] = {"440106", "449999", "110105", "429004"};
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(IsKnownDivision(codes[i++ & 3]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IsKnownDivision);

}  // namespace
}  // namespace nemis::codes
