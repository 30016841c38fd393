#include "exchange_store.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <stdexcept>

#include "db/database.hpp"
#include "process.hpp"

namespace nemis::it {

using Rows = std::vector<std::vector<std::string>>;

Rows QueryRows(const std::string& url, const std::string& sql) {
  db::Options options;
  options.readers = 1;
  options.pool_size = 1;
  options.sqlite_cache_mb = 8;
  options.sqlite_mmap_mb = 0;
  options.busy_timeout_ms = 10000;
  options.read_only = true;
  auto store = db::Database::Open(url, options);
  if (!store.ok()) throw std::runtime_error("cannot open " + url + ": " + store.error().message);
  auto rows = (*store)->Read<Rows>([&](db::Connection& c) -> Result<Rows> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
    Rows out;
    for (const auto& row : rs.rows) {
      auto& cells = out.emplace_back();
      for (size_t i = 0; i < row.size(); ++i) cells.push_back(row.IsNull(i) ? "" : row.Text(i));
    }
    return out;
  });
  if (!rows.ok()) throw std::runtime_error(sql + ": " + rows.error().message);
  return std::move(*rows);
}

int64_t QueryInt(const std::string& url, const std::string& sql) {
  Rows rows = QueryRows(url, sql);
  if (rows.empty() || rows[0].empty() || rows[0][0].empty())
    throw std::runtime_error(sql + ": no value");
  return std::stoll(rows[0][0]);
}

std::string QueryText(const std::string& url, const std::string& sql) {
  Rows rows = QueryRows(url, sql);
  return rows.size() == 1 ? rows[0][0] : "(" + std::to_string(rows.size()) + " rows)";
}

std::string Digest(const std::map<std::string, std::string>& settings,
                   const std::string& province) {
  RunResult r = RunNemis({"exchange", "digest", "--province", province}, settings);
  EXPECT_TRUE(r.status.Ok()) << r.Describe();
  return r.out;
}

int64_t DigestCount(const std::string& digest, const std::string& table) {
  std::smatch m;
  if (!std::regex_search(digest, m, std::regex(table + R"( (\d+) )"))) return -1;
  return std::stoll(m[1]);
}

std::string DigestLine(const std::string& digest, const std::string& table) {
  std::smatch m;
  if (!std::regex_search(digest, m, std::regex("(^|\n)(" + table + " [^\n]*)"))) return "";
  return m[2];
}

}  // namespace nemis::it
