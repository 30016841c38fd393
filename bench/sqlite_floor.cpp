// The floor of single-row writes on SQLite for bench/write_bench.sh: what a program
// without NEMIS's validation, sealing, audit or HTTP would get from the same table.
// THREADS threads, each with its own connection (WAL, synchronous=FULL, the page cache
// and memory map NEMIS gives each connection, a busy timeout), each running SQL as one
// statement in its own transaction, for SECONDS. SQLite lets one writer in at a time;
// the threads take turns on a mutex, as a careful program would: left to SQLite's busy
// handler, which sleeps between retries instead of queueing, 8 or more threads wasted
// the write lock's idle time and some waited past a 10 s busy timeout
// ("database is locked").
//
// Usage: sqlite_floor DB THREADS SECONDS insert|update START SQL
// SQL's parameters: ?1 the row's key number k, ?2 and ?3 two 32-hex-digit keys derived
// from k (the width and randomness of the student table's blind-index keys), ?4 a
// number that changes with every statement of a thread.
//   insert: k = START, START+1, ... shared by all threads, so every row is new;
//   update: k = START + thread, so each thread writes its own row (one an insert run
//           starting at START made) and no two threads wait for the same row.
// Prints one line: "statements statements_per_s p50_ms p99_ms errors [first error]".
//
// Built by the script: g++ -O2 -std=c++20 sqlite_floor.cpp -lsqlite3 -pthread
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::string HexKey(uint64_t k, uint64_t salt) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016" PRIx64 "%016" PRIx64, SplitMix64(k ^ salt),
                SplitMix64(~k ^ salt));
  return buf;
}

struct Shared {
  const char* db;
  const char* sql;
  bool insert;
  int64_t start;
  Clock::time_point deadline;
  std::atomic<int64_t> next_key;
  std::atomic<int64_t> errors{0};
  std::mutex writer;  // one writer at a time, in arrival order as far as the OS queues them
  std::mutex mu;
  std::string first_error;
};

void Fail(Shared& s, const std::string& what) {
  s.errors.fetch_add(1);
  std::lock_guard lock(s.mu);
  if (s.first_error.empty()) s.first_error = what;
}

void Run(Shared& s, int thread, std::vector<uint32_t>& micros) {
  sqlite3* db = nullptr;
  if (sqlite3_open(s.db, &db) != SQLITE_OK)
    return Fail(s, std::string("open: ") + sqlite3_errmsg(db));
  const char* pragmas =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;"
      "PRAGMA cache_size=-262144; PRAGMA mmap_size=1073741824;";
  char* err = nullptr;
  if (sqlite3_exec(db, pragmas, nullptr, nullptr, &err) != SQLITE_OK) {
    Fail(s, std::string("pragmas: ") + err);
    sqlite3_free(err);
    sqlite3_close(db);
    return;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, s.sql, -1, &stmt, nullptr) != SQLITE_OK) {
    Fail(s, std::string("prepare: ") + sqlite3_errmsg(db));
    sqlite3_close(db);
    return;
  }
  for (int64_t i = 0; Clock::now() < s.deadline; ++i) {
    int64_t k = s.insert ? s.next_key.fetch_add(1) : s.start + thread;
    std::string a = HexKey(static_cast<uint64_t>(k), 0x6E),
                b = HexKey(static_cast<uint64_t>(k), 0x69);
    sqlite3_bind_int64(stmt, 1, k);
    sqlite3_bind_text(stmt, 2, a.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 3, b.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 4, i);
    auto t0 = Clock::now();
    int rc;
    {
      std::lock_guard turn(s.writer);
      rc = sqlite3_step(stmt);
    }
    auto t1 = Clock::now();
    if (rc != SQLITE_DONE)
      Fail(s, sqlite3_errmsg(db));
    else if (!s.insert && sqlite3_changes(db) != 1)
      Fail(s, "update changed no row (run an insert first)");
    else
      micros.push_back(static_cast<uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count()));
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: %s DB THREADS SECONDS insert|update START SQL\n", argv[0]);
    return 2;
  }
  int threads = std::atoi(argv[2]);
  double seconds = std::atof(argv[3]);
  Shared s;
  s.db = argv[1];
  s.insert = std::string(argv[4]) == "insert";
  s.start = std::atoll(argv[5]);
  s.next_key = s.start;
  s.sql = argv[6];
  auto begin = Clock::now();
  s.deadline = begin + std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6));
  std::vector<std::vector<uint32_t>> micros(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(Run, std::ref(s), t, std::ref(micros[t]));
  for (auto& t : pool) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
  std::vector<uint32_t> all;
  for (auto& m : micros) all.insert(all.end(), m.begin(), m.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[static_cast<size_t>(p * (all.size() - 1))] / 1000.0;
  };
  std::printf("%zu %.0f %.2f %.2f %" PRId64 "%s%s\n", all.size(), all.size() / elapsed, pct(0.50),
              pct(0.99), s.errors.load(), s.first_error.empty() ? "" : " ", s.first_error.c_str());
  return 0;
}
