#include "api/import_runner.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/ids.hpp"
#include "base/log.hpp"

namespace nemis::api {
namespace {

bool IsTaskId(const std::string& id) {
  if (id.size() != 36) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-')) return false;
  return true;
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

ImportRunner::ImportRunner(db::Database& db, const crypto::FieldCipher& cipher,
                           std::string directory)
    : db_(db), cipher_(cipher), directory_(std::move(directory)) {
  std::filesystem::create_directories(directory_);
  thread_ = std::thread([this] { Loop(); });
}

ImportRunner::~ImportRunner() {
  stopping_ = true;
  wake_.notify_all();
  thread_.join();
}

std::string ImportRunner::PathOf(const std::string& id, std::string_view suffix) const {
  return (std::filesystem::path(directory_) / (id + std::string(suffix))).string();
}

Result<std::string> ImportRunner::Submit(const std::string& file, importer::ImportOptions options,
                                         const std::string& owner) {
  std::string id = NewUuidV7();
  std::error_code ec;
  std::filesystem::rename(file, PathOf(id, ".upload"), ec);
  if (ec) return Error::Internal("无法保存上传的文件");
  std::ofstream(PathOf(id, ".owner")) << owner;
  std::lock_guard lock(mutex_);
  tasks_[id] = {id, owner, "queued", {}, ""};
  queue_.push_back({id, PathOf(id, ".upload"), std::move(options)});
  wake_.notify_all();
  return id;
}

std::optional<ImportTask> ImportRunner::Get(const std::string& id) const {
  {
    std::lock_guard lock(mutex_);
    auto it = tasks_.find(id);
    if (it != tasks_.end()) return it->second;
  }
  if (!IsTaskId(id)) return std::nullopt;
  auto report = ReadFile(PathOf(id, ".report.json"));  // finished before a restart
  auto owner = ReadFile(PathOf(id, ".owner"));
  if (!report || !owner) return std::nullopt;
  return ImportTask{id, *owner, "finished", {}, *report};
}

std::optional<std::string> ImportRunner::ReportCsv(const std::string& id) const {
  if (!IsTaskId(id)) return std::nullopt;
  return ReadFile(PathOf(id, ".report.csv"));
}

void ImportRunner::Loop() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;
      job = std::move(queue_.front());
      queue_.pop_front();
      tasks_[job.id].state = "running";
    }
    RunOne(job);
  }
  std::lock_guard lock(mutex_);
  for (const auto& job : queue_)
    std::filesystem::remove(job.file);  // never imported: drop the personal data
}

void ImportRunner::RunOne(Job& job) {
  job.options.cancel = &stopping_;
  job.options.on_progress = [this, id = job.id](const importer::ImportProgress& p) {
    std::lock_guard lock(mutex_);
    tasks_[id].progress = p;
  };
  importer::ImportReport report = importer::ImportStudents(db_, cipher_, job.file, job.options);
  std::filesystem::remove(job.file);
  std::string json = importer::ReportJson(report);
  std::ofstream(PathOf(job.id, ".report.json"), std::ios::binary) << json;
  std::ofstream(PathOf(job.id, ".report.csv"), std::ios::binary) << importer::ReportCsv(report);
  std::lock_guard lock(mutex_);
  auto& task = tasks_[job.id];
  task.state = "finished";
  task.report_json = std::move(json);
}

}  // namespace nemis::api
