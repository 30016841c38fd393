// Reading a table in id ranges on several threads while the calling thread applies what
// they read: loading the statistics projection is as much the store's work (running the
// statements, building the rows) as the projection's, so the two overlap, and with two
// readers the store's work uses both cores of a small node.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "base/result.hpp"
#include "stats/student_columns.hpp"

namespace nemis::stats {

/// Reads the ranges (after, upto] covering (0, last] `batch` ids at a time with `read` on
/// `threads` threads, and hands each range's rows to `apply` on the calling thread, in no
/// particular order, with at most two ranges per thread read ahead. The first error (of a
/// read or an apply) stops the rest and is returned.
Status ReadRangesInParallel(
    int64_t last, int64_t batch, int threads,
    const std::function<Result<std::vector<StudentFacts>>(int64_t after, int64_t upto)>& read,
    const std::function<Status(std::vector<StudentFacts>&)>& apply);

}  // namespace nemis::stats
