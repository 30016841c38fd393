// Running helper programs from tests (initdb, pg_ctl) without a shell, and a
// watchdog that cleans up after the test process however it ends.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace nemis::testing {

/// Runs `argv` (argv[0] a path or a name on PATH) with stdin from /dev/null and
/// stdout/stderr appended to `log_path`; returns the exit status (-1 if it could not run).
int RunProcess(const std::vector<std::string>& argv, const std::string& log_path);

/// Starts `/bin/sh -c script` in its own process group with stdin reading from a pipe
/// whose write end only this process holds (close-on-exec). The script should begin
/// by reading stdin to its end (`cat >/dev/null`): that returns when this process
/// exits or crashes, or when `*write_fd` is closed. Returns the watchdog's pid.
pid_t StartWatchdog(const std::string& script, int* write_fd);

/// Closes the watchdog's pipe and waits until its script has finished.
void StopWatchdog(pid_t pid, int write_fd);

/// The last `max_bytes` of a file, for error messages.
std::string FileTail(const std::string& path, size_t max_bytes = 2000);

}  // namespace nemis::testing
