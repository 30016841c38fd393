// What the exchange's two-node integration tests share: a national node and a province's node
// (440000) as settings over one temporary directory (SQLite stores, key folders, field keys),
// the national node's settings for pulling the province online, the province certified by the
// national CA through the command line, and running `nemis` with a check that it succeeded.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "process.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::it {

class ExchangeNodesTest : public ::testing::Test {
 protected:
  using Settings = std::map<std::string, std::string>;

  // SQLite; a test may keep the national node elsewhere (a PostgreSQL database).
  virtual std::string NationalUrl() { return "sqlite:" + dir_.File("national.db"); }
  std::string ProvinceUrl() { return "sqlite:" + dir_.File("province.db"); }

  Settings National() {
    return {{"store.url", NationalUrl()},
            {"node.key_dir", dir_.File("national-keys")},
            {"security.field_key_file", dir_.File("national.keys")},
            {"node.code", "000000"},
            {"node.role", "national"}};
  }
  Settings Province() {
    return {{"store.url", ProvinceUrl()},
            {"node.key_dir", dir_.File("province-keys")},
            {"security.field_key_file", dir_.File("province.keys")},
            {"node.code", "440000"},
            {"node.role", "provincial"}};
  }
  // The national node pulling the province from `port` (its `nemis serve`, or something in
  // between), `batch_changes` log rows a batch, retrying at most every second after a failure.
  Settings NationalPulling(int port, int batch_changes) {
    Settings s = National();
    s["exchange.sources"] = "440000=http://127.0.0.1:" + std::to_string(port);
    s["exchange.batch_changes"] = std::to_string(batch_changes);
    s["exchange.retry_max_ms"] = "1000";
    return s;
  }

  RunResult Ok(const std::vector<std::string>& args, const Settings& settings) {
    RunResult r = RunNemis(args, settings);
    EXPECT_TRUE(r.status.Ok()) << r.Describe();
    return r;
  }

  // Both nodes' identities, the province's certificate issued by the national CA (which
  // registers the province in the national store) and installed.
  void Enrol() {
    Ok({"node", "init"}, National());
    RunResult key = Ok({"node", "init"}, Province());
    ASSERT_NE(key.out.find("BEGIN PUBLIC KEY"), std::string::npos) << key.Describe();
    WriteFile(dir_.File("province.pub"), key.out);
    RunResult cert =
        Ok({"node", "issue", "--code", "440000", "--public-key", dir_.File("province.pub")},
           National());
    WriteFile(dir_.File("province.crt"), cert.out);
    Ok({"node", "install", "--certificate", dir_.File("province.crt"), "--ca",
        dir_.File("national-keys/ca.crt")},
       Province());
  }

  testing::TempDir dir_;
};

}  // namespace nemis::it
