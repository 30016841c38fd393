#include "testing/subprocess.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/temp_dir.hpp"

namespace nemis::testing {
namespace {

TEST(SubprocessTest, RunProcessReportsExitStatusAndCapturesOutput) {
  TempDir dir;
  std::string log = dir.File("log.txt");
  EXPECT_EQ(RunProcess({"sh", "-c", "echo out; echo err >&2; exit 3"}, log), 3);
  EXPECT_EQ(FileTail(log), "out\nerr\n");
  EXPECT_EQ(RunProcess({"/nonexistent/program"}, log), -1);
}

TEST(SubprocessTest, WatchdogRunsItsScriptWhenReleased) {
  TempDir dir;
  std::string marker = dir.File("cleaned");
  int fd = -1;
  pid_t pid = StartWatchdog("cat >/dev/null; touch '" + marker + "'", &fd);
  ASSERT_GT(pid, 0);
  EXPECT_FALSE(std::filesystem::exists(marker));
  StopWatchdog(pid, fd);
  EXPECT_TRUE(std::filesystem::exists(marker));
}

TEST(TempDirTest, ExistsUntilDestroyed) {
  std::filesystem::path path;
  {
    TempDir dir;
    path = dir.path();
    EXPECT_TRUE(std::filesystem::is_directory(path));
    EXPECT_EQ(dir.File("x"), (path / "x").string());
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace nemis::testing
