// The ad hoc group-by of bench/stats_bench.sh in DuckDB: the `nemis gen` CSV loaded into an
// in-memory table (the four columns the query reads), then students by county × grade ×
// gender × 留守儿童, best of three. Prints "load S; query S; rows N; students M".
//   node groupby.mjs FILE.csv
import { DuckDBInstance } from '@duckdb/node-api'

const [csv] = process.argv.slice(2)
const instance = await DuckDBInstance.create(':memory:')
const con = await instance.connect()
const seconds = (from) => ((performance.now() - from) / 1000).toFixed(3)

let start = performance.now()
await con.run(`CREATE TABLE student AS SELECT 学校所在区划 AS division, 年级 AS grade, 性别 AS gender,
  留守儿童 AS left_behind FROM read_csv('${csv.replaceAll("'", "''")}', header = true, all_varchar = true)`)
const load = seconds(start)
// A school's county: its division when that is a county (not a city's or province's code).
const query = `SELECT CASE WHEN right(division, 2) <> '00' THEN division END AS county,
  grade::INTEGER AS grade, gender::INTEGER AS gender, left_behind::INTEGER AS left_behind, count(*) AS n
  FROM student GROUP BY ALL`
let best = Infinity
let rows = []
for (let i = 0; i < 3; i++) {
  start = performance.now()
  const reader = await con.runAndReadAll(query)
  best = Math.min(best, performance.now() - start)
  rows = reader.getRows()
}
const students = rows.reduce((sum, r) => sum + Number(r[4]), 0)
console.log(`load ${load}; query ${(best / 1000).toFixed(4)}; rows ${rows.length}; students ${students}`)
