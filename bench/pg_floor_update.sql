-- pgbench script of bench/write_bench.sh: the floor of a correction. Client c updates its
-- own floor_student row (the one pg_floor_insert.sql gave key c + 1), found by its blind
-- index like the API's student number, in a transaction of its own.
\set class random(1, 20)
UPDATE floor_student SET class_no = CAST(:class AS text), version = version + 1,
  updated_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  WHERE number_index = md5('n' || (:client_id + 1));
