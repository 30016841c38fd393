// nemis import students FILE: load a roster into the store, with progress on
// standard error and a report (JSON or CSV) on request. Exits 1 when any row was
// rejected or the import did not complete.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/cli_common.hpp"
#include "importer/student_import.hpp"

namespace nemis::cli {
namespace {

struct ImportFlags {
  CommonFlags common;
  std::string file;
  bool skip_invalid = false;
  bool dry_run = false;
  bool no_register_schools = false;
  std::string encoding = "auto";
  std::string report;
};

// Rows/s and ETA on standard error: redrawn in place on a terminal, a line every
// five seconds otherwise (logs of scheduled loads).
class ProgressPrinter {
 public:
  void operator()(const importer::ImportProgress& p) {
    auto now = std::chrono::steady_clock::now();
    if (p.phase != phase_) {
      phase_ = std::string(p.phase);
      phase_start_ = now;
    }
    if (p.phase == "index") {  // one step of unknown length: say what is happening
      std::fprintf(stderr, "%s建立索引（%llu 行）……%s", tty_ ? "\r" : "",
                   static_cast<unsigned long long>(p.rows), tty_ ? "          " : "\n");
      return;
    }
    if (!tty_ && now - last_ < std::chrono::seconds(5)) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - phase_start_).count();
    double rate = secs > 0 ? static_cast<double>(p.rows) / secs : 0;
    double fraction =
        p.total_bytes ? static_cast<double>(p.bytes) / static_cast<double>(p.total_bytes) : 0;
    double eta = fraction > 0 ? secs * (1 - fraction) / fraction : 0;
    std::fprintf(stderr, "%s%s %5.1f%%  %llu 行  %.0f 行/秒  剩余约 %.0f 秒%s", tty_ ? "\r" : "",
                 phase_ == "validate" ? "校验" : "写入", fraction * 100,
                 static_cast<unsigned long long>(p.rows), rate, eta, tty_ ? "   " : "\n");
  }
  void Done() {
    if (tty_) std::fprintf(stderr, "\n");
  }

 private:
  bool tty_ = isatty(STDERR_FILENO) != 0;
  std::string phase_;
  std::chrono::steady_clock::time_point phase_start_, last_;
};

void PrintSummary(const importer::ImportReport& r) {
  std::cout << r.message << "\n";
  std::cout << "总行数 " << r.total_rows << "，已导入 " << r.imported_rows << "，未导入 "
            << r.rejected_rows;
  if (r.schools_registered) std::cout << "，新登记学校 " << r.schools_registered;
  if (r.resumed_from_line) std::cout << "（自第 " << r.resumed_from_line << " 行续传）";
  std::cout << "，用时 " << r.seconds << " 秒\n";
  for (const auto& w : r.warnings) std::cout << "提示: " << w << "\n";
  size_t shown = 0;
  for (const auto& e : r.errors) {
    if (++shown > 20) {
      std::cout << "……共 " << r.error_count << " 个错误，完整报告请用 --report 导出\n";
      break;
    }
    std::cout << "第 " << e.line << " 行" << (e.column.empty() ? "" : "「" + e.column + "」")
              << ": " << e.message << " [" << e.code << "]\n";
  }
}

int Import(ImportFlags& flags) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  importer::ImportOptions options;
  if (flags.encoding == "utf-8" || flags.encoding == "utf8")
    options.csv.encoding = importer::TextEncoding::kUtf8;
  else if (flags.encoding == "gb18030" || flags.encoding == "gbk")
    options.csv.encoding = importer::TextEncoding::kGb18030;
  else if (flags.encoding != "auto")
    return std::cerr << "--encoding 应为 auto、utf-8 或 gb18030\n", kExitUsage;
  // A load writes far more than a server: give the writer a large page cache.
  (void)config->Set("store.sqlite_cache_mb", config->GetString("import.sqlite_cache_mb"), "import");
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  auto cipher = LoadFieldCipher(*config);
  if (!cipher) return kExitFailed;
  options.skip_invalid = flags.skip_invalid;
  options.dry_run = flags.dry_run;
  options.exclusive_store = true;
  options.register_schools = !flags.no_register_schools;
  options.batch_rows = static_cast<size_t>(config->GetInt("import.batch_rows"));
  options.first_load_min_rows = static_cast<size_t>(config->GetInt("import.first_load_min_rows"));
  options.threads = static_cast<int>(config->GetInt("import.threads"));
  options.max_errors = static_cast<size_t>(config->GetInt("import.max_errors"));
  options.csv.max_field_bytes = static_cast<size_t>(config->GetInt("import.max_field_bytes"));
  ProgressPrinter progress;
  options.on_progress = [&progress](const importer::ImportProgress& p) { progress(p); };
  importer::ImportReport report = importer::ImportStudents(*db, *cipher, flags.file, options);
  progress.Done();
  PrintSummary(report);
  if (!flags.report.empty()) {
    bool csv = flags.report.size() > 4 && flags.report.substr(flags.report.size() - 4) == ".csv";
    std::ofstream(flags.report, std::ios::binary)
        << (csv ? importer::ReportCsv(report) : importer::ReportJson(report));
  }
  return report.Failed() ? kExitFailed : 0;
}

}  // namespace

void AddImportCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ImportFlags>();
  CLI::App* import = app.add_subcommand("import", "Import data files");
  import->require_subcommand(1);
  CLI::App* cmd =
      import->add_subcommand("students", "Import a student roster (CSV in UTF-8 or GB18030)");
  AddCommonFlags(*cmd, flags->common);
  cmd->add_option("file", flags->file, "The roster file")->required()->check(CLI::ExistingFile);
  cmd->add_flag("--skip-invalid", flags->skip_invalid,
                "Import the valid rows and report the others");
  cmd->add_flag("--dry-run", flags->dry_run,
                "Validate every row and report what the import would do; write nothing");
  cmd->add_flag(
      "--no-register-schools", flags->no_register_schools,
      "Refuse rows of schools the store does not hold, even when the file gives their name, type and division");
  cmd->add_option("--encoding", flags->encoding, "auto, utf-8 or gb18030")->capture_default_str();
  cmd->add_option("--report", flags->report, "Write the full report to this file (.json or .csv)");
  cmd->callback([flags, &exit_code] { exit_code = Import(*flags); });
}

}  // namespace nemis::cli
