#include "exchange/shard_columns.hpp"

#include <map>
#include <memory>
#include <set>

#include "exchange/student_partitions.hpp"
#include "http/url.hpp"

namespace nemis::exchange {
namespace {

constexpr std::string_view kLocalColumns =
    "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
    "pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d "
    "ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
    "WHERE a.attrelid = 'student'::regclass AND a.attnum > 0 AND NOT a.attisdropped "
    "ORDER BY a.attnum";
// How this node reaches the shard: the foreign server's options and this user's mapping.
constexpr std::string_view kReach =
    "SELECT o.option_name, o.option_value FROM pg_foreign_server s, "
    "pg_options_to_table(s.srvoptions) o WHERE s.srvname = $1 "
    "UNION ALL SELECT o.option_name, o.option_value FROM pg_user_mappings m, "
    "pg_options_to_table(m.umoptions) o WHERE m.srvname = $1 AND m.usename = current_user";
constexpr std::string_view kShardColumns =
    "SELECT column_name FROM information_schema.columns "
    "WHERE table_schema = 'public' AND table_name = $1";

struct Column {
  std::string name, type, default_sql;
  bool not_null = false;
};

// postgresql://user:password@host:port/dbname?... from the server's and mapping's options.
std::string ShardUrl(std::map<std::string, std::string> o) {
  std::string url = "postgresql://";
  if (o.contains("user")) {
    url += http::PercentEncode(o["user"]);
    if (o.contains("password")) url += ":" + http::PercentEncode(o["password"]);
    url += "@";
  }
  url += o["host"];
  if (o.contains("port")) url += ":" + o["port"];
  url += "/" + http::PercentEncode(o["dbname"]);
  char separator = '?';
  for (const char* key : {"hostaddr", "sslmode", "sslrootcert", "connect_timeout"}) {
    if (!o.contains(key)) continue;
    url += separator;
    url += std::string(key) + "=" + http::PercentEncode(o[key]);
    separator = '&';
  }
  return url;
}

Result<std::vector<Column>> LocalColumns(db::Database& db) {
  return db.Read<std::vector<Column>>([](db::Connection& c) -> Result<std::vector<Column>> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kLocalColumns));
    std::vector<Column> out;
    for (const db::Row& r : rs.rows)
      out.push_back({r.Text(0), r.Text(1), r.Text(3), r.Int(2) != 0});
    return out;
  });
}

Result<std::string> ShardUrlOf(db::Database& db, const std::string& server) {
  return db.Read<std::string>([&](db::Connection& c) -> Result<std::string> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kReach, {server}));
    std::map<std::string, std::string> options;
    for (const db::Row& r : rs.rows) options[r.Text(0)] = r.Text(1);
    if (!options.contains("host") || !options.contains("dbname")) {
      return Error::Internal("外部服务器 " + server + " 缺少 host 或 dbname");
    }
    return ShardUrl(std::move(options));
  });
}

// The ALTERs that give `table` on the shard exactly `columns`, as a script, and their list.
std::string AlterScript(const std::string& table, const std::vector<Column>& columns,
                        const std::set<std::string>& there, std::vector<std::string>& changes) {
  std::set<std::string> here;
  for (const Column& column : columns) {
    here.insert(column.name);
    if (there.contains(column.name)) continue;
    std::string add = "ADD COLUMN " + column.name + " " + column.type;
    if (!column.default_sql.empty()) add += " DEFAULT " + column.default_sql;
    if (column.not_null) add += " NOT NULL";
    changes.push_back(std::move(add));
  }
  for (const std::string& name : there) {
    if (!here.contains(name)) changes.push_back("DROP COLUMN " + name);
  }
  std::string script;
  for (const std::string& change : changes) {
    script += "ALTER TABLE public." + table;
    script += " " + change + ";\n";
  }
  return script;
}

ShardColumnsFollowed Follow(db::Database& db, const PlacedProvince& placed,
                            const std::vector<Column>& columns) {
  ShardColumnsFollowed out{placed.province, {}, {}};
  auto url = ShardUrlOf(db, placed.server);
  db::Options options;
  options.pool_size = 1;
  auto shard = url.ok() ? db::Database::Open(*url, options)
                        : Result<std::unique_ptr<db::Database>>(url.error());
  const std::string table = "student_" + placed.province;
  Status followed = shard.ok() ? (*shard)->WithWriter([&](db::Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kShardColumns, {table}));
    std::set<std::string> there;
    for (const db::Row& r : rs.rows) there.insert(r.Text(0));
    const std::string script = AlterScript(table, columns, there, out.changes);
    return script.empty() ? Status() : c.ExecScript(script);
  })
                               : Status(shard.error());
  if (!followed.ok()) {
    out.changes.clear();
    out.problem = "分片 " + placed.location + "：" + followed.error().message;
  }
  return out;
}

}  // namespace

Result<std::vector<ShardColumnsFollowed>> FollowColumnsOnShards(db::Database& db) {
  std::vector<ShardColumnsFollowed> out;
  if (db.backend() != db::Backend::kPostgres) return out;
  NEMIS_ASSIGN_OR_RETURN(auto placed, PlacedProvinces(db));
  if (placed.empty()) return out;
  NEMIS_ASSIGN_OR_RETURN(auto columns, LocalColumns(db));
  for (const PlacedProvince& p : placed) {
    out.push_back(Follow(db, p, columns));
    if (!out.back().problem.empty()) continue;
    Status loader =
        db.WithWriter([&](db::Connection& c) { return KeepShardLoader(c, p.province, p.server); });
    if (!loader.ok()) out.back().problem = "分片写入表：" + loader.error().message;
  }
  return out;
}

}  // namespace nemis::exchange
