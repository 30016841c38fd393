// Rows per second of `nemis gen` (students CSV to /dev/null); run a Release build.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "gen/schools.hpp"
#include "gen/students.hpp"

namespace nemis::gen {
namespace {

void BM_WriteStudentsCsv(benchmark::State& state) {
  GenOptions options;
  options.students = static_cast<uint64_t>(state.range(0));
  std::vector<GenSchool> schools = GenerateSchools(options);
  std::FILE* null = std::fopen("/dev/null", "w");
  for (auto _ : state) {
    if (!WriteStudentsCsv(options, schools, null).ok()) state.SkipWithError("write failed");
  }
  std::fclose(null);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(options.students));
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(options.students),
                                                    benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_WriteStudentsCsv)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime();

void BM_GenerateSchools(benchmark::State& state) {
  GenOptions options;
  options.students = static_cast<uint64_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(GenerateSchools(options));
}
BENCHMARK(BM_GenerateSchools)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nemis::gen
