// nemis gen: a deterministic synthetic province, as CSV in the import format or
// straight into a store (schools with all their attributes, then the students
// through the ordinary import, so the data passes the same validation).
#include <filesystem>
#include <iostream>
#include <memory>

#include "base/ids.hpp"
#include "cli/cli_common.hpp"
#include "gen/duplicate_planter.hpp"
#include "gen/schools.hpp"
#include "gen/students.hpp"
#include "importer/student_import.hpp"
#include "org/org_store.hpp"
#include "org/org_validation.hpp"

namespace nemis::cli {
namespace {

struct GenFlags {
  CommonFlags common;
  gen::GenOptions options;
  std::string out;
  std::string schools_out;
  uint64_t plant_duplicates = 0;
  bool to_store = false;
};

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

FilePtr OpenOut(const std::string& path) {
  return FilePtr(path == "-" ? stdout : std::fopen(path.c_str(), "wb"),
                 path == "-" ? [](std::FILE*) { return 0; } : &std::fclose);
}

Status InsertSchools(db::Database& db, const std::vector<gen::GenSchool>& schools) {
  std::string now = FormatUtc(std::chrono::system_clock::now());
  return db.WithWriter([&](db::Connection& c) -> Status {
    for (const auto& s : schools) {
      NEMIS_ASSIGN_OR_RETURN(auto existing, org::OrgStore::Load(c, s.code));
      if (existing) continue;
      NEMIS_ASSIGN_OR_RETURN(auto parent, org::OrgStore::Load(c, s.division));
      org::InstitutionInput in{s.code,        s.division, s.name,        s.category,
                               s.school_type, s.sponsor,  s.urban_rural, s.address,
                               s.longitude,   s.latitude, true};
      NEMIS_ASSIGN_OR_RETURN(auto inst, org::ValidateNewInstitution(in, parent));
      NEMIS_TRY(org::OrgStore::Insert(c, std::move(inst), now));
    }
    return {};
  });
}

int GenerateIntoStore(GenFlags& flags, const std::vector<gen::GenSchool>& schools) {
  auto config = LoadConfig(flags.common);
  if (!config) return kExitUsage;
  (void)config->Set("store.sqlite_cache_mb", config->GetString("import.sqlite_cache_mb"), "import");
  auto db = OpenStore(*config);
  if (!db) return kExitFailed;
  auto cipher = LoadFieldCipher(*config);
  if (!cipher) return kExitFailed;
  if (Status s = InsertSchools(*db, schools); !s.ok()) {
    std::cerr << "写入学校失败: " << s.error().message << "\n";
    return kExitFailed;
  }
  std::string csv =
      (std::filesystem::temp_directory_path() / ("nemis-gen-" + NewRequestId() + ".csv")).string();
  {
    FilePtr out = OpenOut(csv);
    if (Status s = gen::WriteStudentsCsv(flags.options, schools, out.get()); !s.ok())
      return std::cerr << s.error().message << "\n", kExitFailed;
  }
  importer::ImportOptions options;
  options.batch_rows = static_cast<size_t>(config->GetInt("import.batch_rows"));
  options.first_load_min_rows = static_cast<size_t>(config->GetInt("import.first_load_min_rows"));
  options.exclusive_store = true;
  auto report = importer::ImportStudents(*db, *cipher, csv, options);
  std::filesystem::remove(csv);
  std::cout << "已生成 " << schools.size() << " 所学校；" << report.message << "\n";
  return report.Failed() ? kExitFailed : 0;
}

int Generate(GenFlags& flags) {
  auto schools = gen::GenerateSchools(flags.options);
  if (schools.empty())
    return std::cerr << "省份代码 " << flags.options.province << " 无可用的行政区划\n", kExitUsage;
  if (flags.plant_duplicates > 0 && (flags.to_store || flags.out.empty() || flags.out == "-"))
    return std::cerr << "--plant-duplicates 须与 --out 文件一起使用（真值表写在它旁边）\n",
           kExitUsage;
  if (flags.to_store) return GenerateIntoStore(flags, schools);
  if (flags.out.empty())
    return std::cerr << "请用 --out 指定输出文件，或用 --db 直接写入数据库\n", kExitUsage;
  FilePtr out = OpenOut(flags.out);
  if (!out) return std::cerr << "无法写入 " << flags.out << "\n", kExitFailed;
  if (Status s = gen::WriteStudentsCsv(flags.options, schools, out.get()); !s.ok())
    return std::cerr << s.error().message << "\n", kExitFailed;
  out.reset();  // flushed: the planter reads the roster back
  if (Status s = gen::PlantDuplicates(flags.options, schools, flags.plant_duplicates, flags.out);
      !s.ok())
    return std::cerr << s.error().message << "\n", kExitFailed;
  if (!flags.schools_out.empty()) {
    FilePtr schools_file = OpenOut(flags.schools_out);
    if (!schools_file) return std::cerr << "无法写入 " << flags.schools_out << "\n", kExitFailed;
    if (Status s = gen::WriteSchoolsCsv(schools, schools_file.get()); !s.ok())
      return std::cerr << s.error().message << "\n", kExitFailed;
  }
  return 0;
}

}  // namespace

void AddGenCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<GenFlags>();
  CLI::App* cmd = app.add_subcommand(
      "gen", "Generate a deterministic synthetic province (students and schools)");
  AddCommonFlags(*cmd, flags->common);
  cmd->add_option("--students", flags->options.students, "Number of students")
      ->capture_default_str();
  cmd->add_option("--seed", flags->options.seed, "Seed: the same seed gives the same data")
      ->capture_default_str();
  cmd->add_option("--province", flags->options.province, "Province division code")
      ->capture_default_str();
  cmd->add_option("--school-year", flags->options.school_year,
                  "School year start (2025 = 2025-2026学年)")
      ->capture_default_str();
  cmd->add_option("--out", flags->out,
                  "Write the student roster CSV here ('-' for standard output)");
  cmd->add_option("--schools-out", flags->schools_out, "Also write the schools as CSV here");
  cmd->add_option("--plant-duplicates", flags->plant_duplicates,
                  "Append N second registrations of generated students (exact, homophone, typo, "
                  "shared guardian) and write the pairs to OUT.planted.csv");
  cmd->callback([flags, &exit_code, cmd] {
    flags->to_store = cmd->count("--db") > 0 && flags->out.empty();
    exit_code = Generate(*flags);
  });
}

}  // namespace nemis::cli
