// Where tests put temporary files: NEMIS_TEST_TMPDIR if set, else /dev/shm when it
// has room (memory: no disk flushes, so fsync-heavy store tests and PostgreSQL
// clusters start and run several times faster), else the system temp directory.
#pragma once

#include <filesystem>

namespace nemis::testing {

const std::filesystem::path& TestTempRoot();

}  // namespace nemis::testing
