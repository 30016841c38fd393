// Reading and validating a roster at once: a thread of its own reads the file ahead
// into record batches, worker threads validate the batches in parallel, and the caller
// receives the verdicts in file order. During a load the caller is the store's writer,
// so its thread spends its time writing, not parsing CSV.
#pragma once

#include <atomic>
#include <functional>
#include <string_view>

#include "base/result.hpp"
#include "importer/batch_validator.hpp"
#include "importer/csv_reader.hpp"

namespace nemis::importer {

struct PipelineOptions {
  int threads = 1;                            // validation threads
  size_t unit_rows = 20000;                   // rows validated together on one thread
  const std::atomic<bool>* cancel = nullptr;  // checked before each unit
  /// Called on the caller's thread after each unit: rows so far, reader position.
  std::function<void(uint64_t rows, uint64_t bytes)> on_progress;
};

/// Validates every record `reader` has left. `before` sees each batch, in file order and
/// on the calling thread, before it is validated (may be empty); `after` gets each
/// verdict in file order on the calling thread. Stops at the first error `before` or
/// `after` returns, when cancelled (kUnavailable), or at a fatal error of the reader
/// (then `*failed_line` is where it happened).
Status RunValidation(CsvReader& reader, const BatchValidation& how, const PipelineOptions& options,
                     const std::function<Status(const RecordBatch&)>& before,
                     const std::function<Status(BatchVerdict&)>& after, uint64_t* failed_line);

}  // namespace nemis::importer
