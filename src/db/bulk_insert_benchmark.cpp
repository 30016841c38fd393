// BulkInserter throughput on a 10-column table (ids, numbers, short Chinese text).
// SQLite runs in a temporary file; PostgreSQL only when NEMIS_BENCH_PG_URL names a
// database the benchmark may create tables in.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace nemis::db {
namespace {

constexpr int kRows = 200'000;
constexpr std::string_view kDrop = "DROP TABLE IF EXISTS bench_students";
constexpr std::string_view kCreate =
    "CREATE TABLE bench_students (id BIGINT PRIMARY KEY, school_id BIGINT, grade INTEGER, class_no INTEGER,"
    " height DOUBLE PRECISION, weight DOUBLE PRECISION, name TEXT, student_no TEXT, address TEXT, note TEXT)";
const std::vector<std::string> kColumns = {"id",      "school_id", "grade", "class_no",
                                           "height",  "weight",    "name",  "student_no",
                                           "address", "note"};

void Load(benchmark::State& state, Database& db) {
  for (auto _ : state) {
    state.PauseTiming();
    Status reset = db.WithWriter([](Connection& c) -> Status {
      NEMIS_TRY(c.ExecScript(kDrop));
      return c.ExecScript(kCreate);
    });
    if (!reset.ok()) state.SkipWithError(reset.error().message.c_str());
    state.ResumeTiming();
    Status s = db.WithWriter([](Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(auto inserter, c.BeginBulkInsert("bench_students", kColumns));
      std::string student_no;
      for (int i = 0; i < kRows; ++i) {
        student_no = "G" + std::to_string(110101200801010000LL + i);
        std::array<Param, 10> row = {i,
                                     i / 1000,
                                     1 + i % 9,
                                     1 + i % 12,
                                     150.5 + i % 40,
                                     45.25,
                                     "王小明",
                                     std::string_view(student_no),
                                     "北京市东城区景山前街4号",
                                     nullptr};
        NEMIS_TRY(inserter->AddRow(row));
      }
      return inserter->Finish();
    });
    if (!s.ok()) state.SkipWithError(s.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}

void BM_SqliteBulkInsert(benchmark::State& state) {
  auto dir = std::filesystem::temp_directory_path() / ("nemis-bench-" + std::to_string(getpid()));
  auto db = Database::Open("sqlite:" + (dir / "bench.db").string(), Options{});
  if (!db.ok()) {
    state.SkipWithError(db.error().message.c_str());
    return;
  }
  Load(state, **db);
  db->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SqliteBulkInsert)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PostgresBulkInsert(benchmark::State& state) {
  const char* url = std::getenv("NEMIS_BENCH_PG_URL");
  if (url == nullptr) {
    state.SkipWithError("set NEMIS_BENCH_PG_URL to run");
    return;
  }
  auto db = Database::Open(url, Options{});
  if (!db.ok()) {
    state.SkipWithError(db.error().message.c_str());
    return;
  }
  Load(state, **db);
}
BENCHMARK(BM_PostgresBulkInsert)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace nemis::db
