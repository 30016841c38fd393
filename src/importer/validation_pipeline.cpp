#include "importer/validation_pipeline.hpp"

#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace nemis::importer {
namespace {

struct ReadUnit {
  std::shared_ptr<RecordBatch> batch;
  uint64_t bytes = 0;  // reader position after the batch
};

// Reads units on a thread of its own, at most `depth` ahead of the consumer.
class ReadAhead {
 public:
  ReadAhead(CsvReader& reader, size_t unit_rows, size_t depth)
      : reader_(reader), unit_rows_(unit_rows), depth_(depth), thread_([this] { Run(); }) {}
  ~ReadAhead() { Stop(); }
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  /// The next unit, or nothing at the end of the input.
  std::optional<ReadUnit> Next() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return !queue_.empty() || done_; });
    if (queue_.empty()) return std::nullopt;
    ReadUnit unit = std::move(queue_.front());
    queue_.pop_front();
    space_.notify_one();
    return unit;
  }

  /// Ends the reading thread; the reader may be used again afterwards.
  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    space_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Run() {
    for (;;) {
      auto batch = std::make_shared<RecordBatch>();
      size_t rows = reader_.ReadBatch(*batch, unit_rows_);
      uint64_t bytes = reader_.bytes_read();
      std::unique_lock lock(mutex_);
      if (rows == 0) break;
      space_.wait(lock, [this] { return queue_.size() < depth_ || stop_; });
      if (stop_) break;
      queue_.push_back({std::move(batch), bytes});
      ready_.notify_one();
    }
    std::lock_guard lock(mutex_);
    done_ = true;
    ready_.notify_all();
  }

  CsvReader& reader_;
  const size_t unit_rows_, depth_;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<ReadUnit> queue_;
  bool done_ = false, stop_ = false;
  std::thread thread_;  // last: starts once everything above is initialised
};

}  // namespace

Status RunValidation(CsvReader& reader, const BatchValidation& how, const PipelineOptions& options,
                     const std::function<Status(const RecordBatch&)>& before,
                     const std::function<Status(BatchVerdict&)>& after, uint64_t* failed_line) {
  const auto threads = static_cast<size_t>(std::max(1, options.threads));
  ReadAhead ahead(reader, options.unit_rows, threads + 1);
  std::deque<std::future<BatchVerdict>> in_flight;
  uint64_t rows = 0;
  Status status;
  auto collect = [&] {
    BatchVerdict verdict = in_flight.front().get();
    in_flight.pop_front();
    rows += verdict.rows.size();
    if (status.ok()) status = after(verdict);
    if (options.on_progress) options.on_progress(rows, verdict.end_bytes);
  };
  while (status.ok()) {
    if (options.cancel && options.cancel->load()) {
      status = Error{ErrorKind::kUnavailable,
                     "import_interrupted",
                     "导入已中断（服务停止）；已提交的批次保留，重新导入同一文件即可续传",
                     {}};
      break;
    }
    std::optional<ReadUnit> unit = ahead.Next();
    if (!unit) break;
    if (before && !(status = before(*unit->batch)).ok()) break;
    in_flight.push_back(std::async(std::launch::async, [unit = std::move(*unit), &how] {
      BatchVerdict verdict = ValidateBatch(*unit.batch, how);
      verdict.end_bytes = unit.bytes;
      return verdict;
    }));
    while (in_flight.size() > threads) collect();
  }
  while (!in_flight.empty()) collect();
  ahead.Stop();
  if (status.ok() && reader.error()) {
    *failed_line = reader.error_location().line;
    return *reader.error();
  }
  return status;
}

}  // namespace nemis::importer
