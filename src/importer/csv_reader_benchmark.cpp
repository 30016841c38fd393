// Parse speed of the CSV reader on a synthetic 200 MB student roster, in UTF-8 and in
// GB18030, with a plain line count (memchr) of the same file as the ceiling for comparison.
// The files are made once per run in NEMIS_BENCH_DIR (default: the system temp directory)
// and removed at exit. Run: importer_benchmarks --benchmark_filter=Csv
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "importer/csv_reader.hpp"

namespace nemis::importer {
namespace {

constexpr size_t kTargetBytes = 200u << 20;

std::filesystem::path BenchDir() {
  const char* dir = std::getenv("NEMIS_BENCH_DIR");
  return dir != nullptr ? std::filesystem::path(dir) : std::filesystem::temp_directory_path();
}

// One roster row of the student spec's 37 columns, about 300 bytes, deterministic.
std::string Row(std::mt19937& rng, int n) {
  static const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
  static const char* kGiven[] = {"小明", "伟", "芳", "娜", "秀英", "敏",
                                 "静",   "丽", "强", "磊", "𠮷"};
  static const char* kMinority[] = {"阿卜杜拉·买买提", "古丽娜尔·艾力", "扎西·多吉"};
  auto pick = [&](auto& list) { return list[rng() % std::size(list)]; };
  const std::string name =
      rng() % 50 == 0 ? pick(kMinority) : std::string(pick(kSurnames)) + pick(kGiven);
  const std::string date = std::to_string(2010 + rng() % 8) + "-0" + std::to_string(1 + rng() % 9) +
                           "-1" + std::to_string(rng() % 10);
  const std::string id = "11010" + std::to_string(100000000000 + rng() % 899999999999) + "X";
  const std::string address =
      rng() % 4 == 0 ? "\"北京市东城区景山街道,景山前街" + std::to_string(n % 300) + "号\""
                     : "北京市东城区景山街道景山前街" + std::to_string(n % 300) + "号";
  return "G" + id + "," + name + "," + std::to_string(1 + rng() % 2) + "," + date + ",01,156,1," +
         id + ",0,1,1101010001,小学," + std::to_string(1 + rng() % 6) + "," +
         std::to_string(1 + rng() % 8) + ",2021-09,1,1,1,0,0,0,0,0,0," + address + ",1380013" +
         std::to_string(1000 + rng() % 9000) + "," + std::string(pick(kSurnames)) + "大山,父亲," +
         id + ",13900139000,,,,,北京市第一小学,211,110101\n";
}

std::string MakeUtf8File() {
  const std::filesystem::path path = BenchDir() / "nemis_csv_bench_utf8.csv";
  std::ofstream out(path, std::ios::binary);
  out << "学籍号,姓名,性别,出生日期,民族,国籍地区,身份证件类型,身份证件号,港澳台侨外,户口性质,"
         "学校标识码,"
         "学段,年级,班号,入学年月,学生类别,就读方式,入学方式,留守儿童,随迁子女,孤儿,烈士或优抚子女,"
         "残疾类型,"
         "随班就读,家庭住址,联系电话,监护人1姓名,监护人1关系,监护人1身份证件号,监护人1联系电话,"
         "监护人2姓名,"
         "监护人2关系,监护人2身份证件号,监护人2联系电话,学校名称,学校办学类型,学校所在区划\n";
  std::mt19937 rng(20250901);
  std::string chunk;
  for (int n = 0; static_cast<size_t>(out.tellp()) < kTargetBytes; ++n) {
    chunk += Row(rng, n);
    if (chunk.size() > (1u << 20)) {
      out << chunk;
      chunk.clear();
    }
  }
  out << chunk;
  return path.string();
}

std::string MakeGb18030File(const std::string& utf8_path) {
  const std::string path = (BenchDir() / "nemis_csv_bench_gb18030.csv").string();
  const std::string command = "iconv -f UTF-8 -t GB18030 '" + utf8_path + "' > '" + path + "'";
  if (std::system(command.c_str()) != 0) std::abort();
  return path;
}

struct BenchFiles {
  std::string utf8 = MakeUtf8File();
  std::string gb18030 = MakeGb18030File(utf8);
  ~BenchFiles() {
    std::filesystem::remove(utf8);
    std::filesystem::remove(gb18030);
  }
};

const BenchFiles& Files() {
  static BenchFiles files;
  return files;
}

void ReadAll(benchmark::State& state, const std::string& path) {
  const uint64_t size = std::filesystem::file_size(path);
  for (auto _ : state) {
    auto reader = CsvReader::Open(path);
    if (!reader.ok()) state.SkipWithError(reader.error().message.c_str());
    CsvRecord record;
    uint64_t records = 0;
    uint64_t bytes = 0;
    while ((*reader)->Next(record)) {
      ++records;
      bytes += record.field(1).size();
    }
    if ((*reader)->error() != nullptr) state.SkipWithError((*reader)->error()->message.c_str());
    benchmark::DoNotOptimize(bytes);
    state.counters["records"] = static_cast<double>(records);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
}

void BM_CsvNextUtf8(benchmark::State& state) { ReadAll(state, Files().utf8); }
void BM_CsvNextGb18030(benchmark::State& state) { ReadAll(state, Files().gb18030); }

void BM_CsvReadBatchUtf8(benchmark::State& state) {
  const std::string& path = Files().utf8;
  RecordBatch batch;
  for (auto _ : state) {
    auto reader = CsvReader::Open(path);
    while ((*reader)->ReadBatch(batch, 50000) > 0) benchmark::DoNotOptimize(batch.size());
  }
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * std::filesystem::file_size(path)));
}

// The ceiling: read(2) in 4 MiB blocks and count line feeds.
void BM_ReadAndCountLines(benchmark::State& state) {
  const std::string& path = Files().utf8;
  std::vector<char> buf(4u << 20);
  for (auto _ : state) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    uint64_t lines = 0;
    for (ssize_t n; (n = ::read(fd, buf.data(), buf.size())) > 0;) {
      for (const char* p = buf.data();
           (p = static_cast<const char*>(std::memchr(p, '\n', buf.data() + n - p))); ++p) {
        ++lines;
      }
    }
    ::close(fd);
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * std::filesystem::file_size(path)));
}

BENCHMARK(BM_ReadAndCountLines)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CsvNextUtf8)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CsvReadBatchUtf8)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CsvNextGb18030)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nemis::importer
