// Runs imports submitted over HTTP in the background, one at a time, so that a
// county's roster does not hold a request open: the client gets 202 and polls.
// Reports (counts and row errors, no personal data) are kept as files so that
// they outlive a restart; the uploaded file is deleted once its import ends.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "base/result.hpp"
#include "db/database.hpp"
#include "importer/student_import.hpp"

namespace nemis::api {

struct ImportTask {
  std::string id;
  std::string owner;  // the account that submitted it: only that account sees the task
  std::string state;  // "queued", "running", "finished"
  importer::ImportProgress progress;
  std::string report_json;  // when finished
};

class ImportRunner {
 public:
  /// `cipher` seals the imported students' personal data; it must outlive the runner.
  ImportRunner(db::Database& db, const crypto::FieldCipher& cipher, std::string directory);
  ~ImportRunner();  // stops after the running import's current batch

  /// Takes over `file` (moved into the runner's directory) and queues its import
  /// within `options.scope`.
  Result<std::string> Submit(const std::string& file, importer::ImportOptions options,
                             const std::string& owner);
  std::optional<ImportTask> Get(const std::string& id) const;
  /// The report as CSV for a finished task.
  std::optional<std::string> ReportCsv(const std::string& id) const;

 private:
  struct Job {
    std::string id, file;
    importer::ImportOptions options;
  };
  void Loop();
  void RunOne(Job& job);
  std::string PathOf(const std::string& id, std::string_view suffix) const;

  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  std::string directory_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  std::map<std::string, ImportTask> tasks_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace nemis::api
