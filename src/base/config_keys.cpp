#include "base/config.hpp"

namespace nemis {

const std::vector<ConfigKey>& ConfigKeys() {
  using enum ConfigType;
  static const std::vector<ConfigKey> keys = {
      {"server.address", kString, "127.0.0.1",
       "Address to listen on. Loopback only by default until accounts exist."},
      {"server.port", kInt, "8080", "TCP port to listen on (0 picks a free port)."},
      {"server.io_threads", kInt, "2", "Threads running network I/O; they never touch the store."},
      {"server.workers", kInt, "8",
       "Threads running handlers and store work. A worker waits while the store works, so as many "
       "as store.pg_pool_size keep PostgreSQL's connections busy, and SQLite's group commit fills "
       "with more writes (bench/RESULTS.md: 8 measured faster than 4 on both stores)."},
      {"server.max_header_bytes", kInt, "16384",
       "Largest request header block accepted (431/400 beyond)."},
      {"server.max_body_bytes", kInt, "10485760",
       "Largest request body for ordinary routes (413 beyond)."},
      {"server.max_upload_bytes", kInt, "2147483648",
       "Largest request body for upload routes such as imports (413 beyond)."},
      {"server.request_timeout_ms", kInt, "30000",
       "Time allowed to receive a whole request; slower clients are disconnected."},
      {"server.idle_timeout_ms", kInt, "60000",
       "Keep-alive connections idle this long are closed."},
      {"server.shutdown_grace_ms", kInt, "30000",
       "On SIGTERM/SIGINT, how long in-flight requests may take to finish."},
      {"server.queue_limit", kInt, "10000",
       "Requests waiting for a worker beyond this are refused with 503."},
      {"server.spool_dir", kString, "var/spool", "Where uploaded files are spooled before import."},
      {"portal.dir", kString, "",
       "The built portal served at / (index.html, assets/; `cd web && npm ci && npm run build` makes "
       "it). Empty: web/dist of the checkout the binary was built in (the first directory above the "
       "binary holding web/), else web/dist under the working directory."},
      {"store.url", kString, "sqlite:var/nemis.db",
       "The store: sqlite:PATH or postgresql://user@host:port/db."},
      {"store.sqlite_readers", kInt, "4", "SQLite read connections."},
      {"store.sqlite_cache_mb", kInt, "256", "SQLite page cache per connection, in MiB."},
      {"store.sqlite_mmap_mb", kInt, "1024",
       "SQLite memory-mapped I/O size per connection, in MiB."},
      {"store.group_commit_max", kInt, "256",
       "Most writes committed together by the SQLite writer."},
      {"store.pg_pool_size", kInt, "8", "PostgreSQL connections in the pool."},
      {"store.seal_interval_ms", kInt, "50",
       "PostgreSQL: how often the node numbers the change-log rows and chains the audit entries that "
       "writes left pending (the longest they wait before the exchange, statistics and audit see them)."},
      {"store.busy_timeout_ms", kInt, "5000",
       "How long a store call waits for a connection or a lock."},
      {"stats.engine", kBool, "true",
       "Answer student counts from the in-memory statistics engine (loaded from the store at start, "
       "then kept current from the change log); false: from the store's SQL on every request."},
      {"stats.poll_interval_ms", kInt, "200",
       "How often the statistics engine applies new changes of the change log (a count request also "
       "applies them first)."},
      {"stats.rollups", kInt, "16",
       "How many rollups of the registry now the statistics engine keeps (each a grouping asked, or a "
       "students form's cells, counted per school and region and kept current with every change): a "
       "form or count of now is then read, not counted. Beyond this the least recently asked is "
       "dropped; 0: none (every count of now is one pass over the projection)."},
      {"stats.rollup_max_keys", kInt, "8000000",
       "A rollup with more keys than this over its schools and regions (16 bytes each) is not kept: "
       "that grouping is counted in one pass each time."},
      {"stats.signing_key_file", kString, "var/keys/stats_sm2.pem",
       "SM2 private key (PEM) of the node's statistics signing authority: it certifies the SM2 keys the "
       "node issues to the people who sign annual statistics submissions; created with mode 0600 if "
       "missing. Give verifiers its public half (GET /api/v1/stats/submissions/signing-key)."},
      {"stats.acceptance_required", kBool, "true",
       "A level submits its statistics only once it has approved each unit below (true), or once each "
       "has submitted (false): its submission then approves, signed by the submitter, those still "
       "awaiting it (DHIS2's \"acceptance required before approval\")."},
      {"stats.year_on_year_percent", kInt, "20",
       "A submission whose head count differs from last year's by more than this many per cent carries "
       "a warning (经验校验) that must be explained."},
      {"import.batch_rows", kInt, "500000",
       "Rows committed together by an import (a resume point). Larger batches write each index page "
       "fewer times."},
      {"import.first_load_min_rows", kInt, "1000000",
       "An import of at least this many rows (estimated from the file's size) into a registry holding no "
       "student reads the file once, writes in one transaction and builds the student indexes once at the "
       "end (killed or refused: nothing written). 0: never."},
      {"import.sqlite_cache_mb", kInt, "2048",
       "SQLite page cache of the writing connection during a command-line import, in MiB."},
      {"import.threads", kInt, "0", "Threads parsing and validating an import (0: one per core)."},
      {"import.max_field_bytes", kInt, "65536",
       "Longest CSV field accepted; longer ones are row errors."},
      {"import.max_errors", kInt, "100000",
       "Errors kept in an import report (the count is always exact)."},
      {"registry.duplicate_hits_per_hour", kInt, "20",
       "Registrations and imports an account may have refused in a sliding hour because the ID is "
       "registered at a school outside its scope (registered_elsewhere); beyond this the account gets 429 "
       "on registrations and imports until older hits age out, and alert.duplicate_probe is audited once."},
      {"oidc.issuer", kString, "",
       "The OpenID Connect issuer: this node's URL as clients reach it (e.g. https://nemis.gd.edu.cn). "
       "Empty: http://<server.address>:<the port it listens on>."},
      {"oidc.access_token_seconds", kInt, "600", "Lifetime of an OIDC access token, in seconds."},
      {"oidc.id_token_seconds", kInt, "600", "Lifetime of an OIDC ID token, in seconds."},
      {"oidc.refresh_token_days", kInt, "30",
       "Lifetime of an OIDC refresh token, in days (each use rotates it)."},
      {"oidc.code_seconds", kInt, "120", "Lifetime of an OIDC authorization code, in seconds."},
      {"identity.password_min_length", kInt, "12", "Shortest password accepted, in characters."},
      {"identity.password_min_classes", kInt, "3",
       "Character classes a password must mix (of lower case, upper case, digits, other)."},
      {"identity.password_history", kInt, "5",
       "A new password may not repeat any of this many previous ones."},
      {"identity.password_max_age_days", kInt, "0",
       "Days after which a password must be changed (0: never)."},
      {"identity.argon2_memory_kib", kInt, "65536", "Argon2id memory per password hash, in KiB."},
      {"identity.argon2_iterations", kInt, "3", "Argon2id passes per password hash."},
      {"identity.lockout_failures", kInt, "5",
       "Failed logins within the window that lock the account."},
      {"identity.lockout_window_minutes", kInt, "15",
       "The window in which failed logins are counted."},
      {"identity.lockout_minutes", kInt, "30", "How long a locked account stays locked."},
      {"identity.login_attempts_per_minute", kInt, "20",
       "Login attempts accepted per source IP and minute."},
      {"identity.session_idle_minutes", kInt, "30", "A session unused this long ends."},
      {"identity.session_absolute_hours", kInt, "12",
       "A session ends this long after login, used or not."},
      {"identity.token_cache_seconds", kInt, "10",
       "How long a resolved API token is reused without asking the store; revocations take effect "
       "within this time. 0: never cache."},
      {"identity.secure_cookies", kBool, "false",
       "Mark session cookies Secure: set it when users reach the node over HTTPS (e.g. through a TLS proxy)."},
      {"audit.signing_key_file", kString, "var/keys/audit_sm2.pem",
       "SM2 private key (PEM) that signs audit-log checkpoints; created with mode 0600 if missing."},
      {"audit.checkpoint_file", kString, "",
       "Append-only copy of every signed audit checkpoint (one JSON line each), outside the database: "
       "`nemis audit verify` checks the log against it. Empty: audit_checkpoints.jsonl beside "
       "audit.signing_key_file. Back it up with the key's public half."},
      {"audit.checkpoint_interval_seconds", kInt, "60",
       "The server signs a checkpoint of the audit log this often when new entries exist (and at every "
       "start and stop): entries after the last checkpoint are the ones an attacker with database "
       "access could still rewrite unnoticed."},
      {"audit.checkpoint_every_entries", kInt, "1000",
       "The server also signs a checkpoint as soon as this many entries were appended since the last "
       "(0: by the interval alone)."},
      {"audit.checkpoint_interval_minutes", kInt, "0",
       "Replaced by audit.checkpoint_interval_seconds; where set (above 0) and that key is not, the "
       "interval in minutes."},
      {"audit.verification_cache_seconds", kInt, "60",
       "GET /api/v1/audit/verification walks the whole audit log at most this often; callers in "
       "between get the last answer with its time."},
      {"audit.retention_days", kInt, "184",
       "Audit entries younger than this are never purged; values below 184 count as 184 (6 months, "
       "Cybersecurity Law art. 21)."},
      {"security.field_key_file", kString, "var/keys/field.keys",
       "The node's field keys (SM4 + HMAC-SM3) for personal data and TOTP secrets; created (mode 0600) "
       "on first start. Keep it outside the database and back it up separately."},
      {"public.rate_per_minute", kInt, "600",
       "Requests per minute each client address may make to the public API (/api/v1/public), "
       "refilling its token bucket; beyond it 429 rate_limited with Retry-After. 0: no limit."},
      {"registry.transfer_lookups_per_minute", kInt, "20",
       "Transfer lookups (POST /api/v1/transfers/lookup) per minute each account may make, refilling "
       "its token bucket; beyond it 429 rate_limited with Retry-After. A lookup names a student of "
       "another school: it must not become a way to test numbers and names in bulk."},
      {"registry.transfer_lookup_burst", kInt, "10",
       "Transfer lookups an account may make at once (the token bucket's size)."},
      {"registry.compulsory_grade_change_provinces", kString, "",
       "Comma-separated codes of provinces (e.g. 44) whose compulsory education (小学, 初中) allows "
       "repeating (留级), dropping (降级) or skipping (跳级) a grade; elsewhere these status changes "
       "are refused there (422 grade_change_not_allowed_here), as the national rules have it."},
      {"registry.duplicate_threshold", kInt, "70",
       "Score (0-100) from which the record-quality scan (nemis registry scan) lists two students "
       "with similar names (same pinyin or one character apart, same gender and birth date) as a "
       "suspected duplicate; registry/quality/pair_score.hpp says what earns points. Same name, "
       "gender and birth date, and same guardian ID with the same name, are listed whatever it is."},
      {"registry.temp_number_max_days", kInt, "365",
       "Days a student may hold a temporary (L) or no-document (J) registry number, counted from "
       "the record's creation, before the scan lists it as a problem record (temp_number_overdue)."},
      {"registry.age_tolerance_years", kInt, "2",
       "Years a student's age on 31 August may differ from its grade's norm (grade 1: 6, one more "
       "each grade; 小班 3) before the scan lists it as a problem record (age_off_grade)."},
      {"registry.transfer_same_grade_provinces", kString, "",
       "Comma-separated codes of provinces (e.g. 44) whose schools may receive a transferring "
       "student only into the grade the student is in (a provincial rule); elsewhere any grade of "
       "the student's stage."},
      {"workflow.holiday_calendar_file", kString, "",
       "A file adding years to the State Council holiday calendar the software ships (the format of "
       "src/workflow/calendar/cn_holidays.txt), for a year published before a release ships it. "
       "Case deadlines in a year neither lists are counted Monday to Friday, with a warning in the "
       "log."},
      {"registry.calendar", kString, "07-01,07-15,07-30,08-10",
       "The registry's year-end calendar, as month-days (Asia/Shanghai): from the first, no new "
       "business (transfers, status changes but 死亡/结业/肄业) for students in a graduating grade; "
       "from the second, no new transfers, and `nemis registry clear-pending` closes the graduating "
       "grades' pending cases (在办业务清理); the third, the graduation deadline; promotion at 24:00 "
       "of the fourth, when the freezes end."},
      {"registry.calendar_years", kString, "",
       "Single years whose calendar differs from registry.calendar: YYYY:MM-DD,MM-DD,MM-DD,MM-DD "
       "entries separated by semicolons, e.g. 2027:07-01,07-14,07-30,08-10."},
      {"public.burst", kInt, "120",
       "Requests a client address may make to the public API at once (the token bucket's size)."},
      {"public.rate_clients", kInt, "100000",
       "Client addresses the public API's rate limit remembers; the least recently seen are forgotten "
       "beyond this (and any idle long enough to have a full bucket again)."},
      {"public.trusted_proxies", kString, "",
       "Comma-separated addresses of reverse proxies in front of the node: for requests from them the "
       "public API's rate limit takes the client from X-Forwarded-For (the nearest address not a "
       "trusted proxy). Empty: the TCP peer is the client."},
      {"public.cache_seconds", kInt, "60",
       "How long the node keeps a public API answer in memory and serves it again without asking the "
       "store (0: never)."},
      {"public.cache_mb", kInt, "32", "Memory the public API's kept answers may use, in MiB."},
      {"public.max_age_seconds", kInt, "300",
       "Cache-Control max-age of public API answers: how long browsers and proxies may reuse them."},
      {"public.stats_min_cell", kInt, "10",
       "Public statistics withhold (null, suppressed: true) student counts below this, and a second "
       "count of the same breakdown when one alone would be withheld, so that no student can be "
       "singled out."},
      {"public.stats_min_schools", kInt, "3",
       "Public statistics show no student figures for a region with fewer open schools than this: "
       "a county of one school would otherwise show that school's exact count."},
      {"public.stats_round_to", kInt, "5",
       "Public statistics round the student counts they show to a multiple of this (1: exact), so "
       "that a city's figure minus its other counties gives a withheld county back only roughly."},
      {"node.code", kString, "440000",
       "Division code of the node (000000 for the national node, the province's code otherwise)."},
      {"node.role", kString, "provincial",
       "The node's part in the two-level construction: provincial (a province's data centre) or "
       "national (the ministry's)."},
      {"node.key_dir", kString, "var/keys/node",
       "The node's identity for the exchange: its SM2 key, its certificate and the national CA's "
       "(nemis node init); the national node also keeps the CA's key here."},
      {"node.tls_port", kInt, "0",
       "A port (on server.address) where the node serves the exchange over mutual TLS 1.3 with its "
       "TLS certificate (nemis node tls); node calls are then taken there only. 0: none, node "
       "calls come signed on the server's port. Other nodes then name it with https://."},
      {"exchange.batch_changes", kInt, "50000",
       "Change-log rows one exchange batch covers at most (1-100000). A batch is applied in one "
       "transaction: larger ones rewrite a store's indexes less often (a million-student "
       "province onto a SQLite national node: 10,000 wrote 11.7 GB, 50,000 3.9 GB), and hold "
       "about 300 MB more on each node while a province catches up."},
      {"exchange.batch_min_changes", kInt, "100",
       "The fewest rows a puller asks for after failed rounds: it halves the batch after each "
       "failure down to this and doubles it back after each success, so that a link that cuts "
       "long answers still carries short ones."},
      {"exchange.sources", kString, "",
       "National node: the provincial nodes it pulls changes from, as code=URL pairs separated by "
       "semicolons, e.g. 440000=http://10.44.0.10:8080;450000=https://10.45.0.10:8443 (https: mutual "
       "TLS with the node's TLS certificate, nemis node tls)."},
      {"exchange.compress", kBool, "true",
       "National node: ask provincial nodes for their batches compressed before they are sealed "
       "(envelope nemis.exchange.batch.v2: about a tenth of the bytes to seal, send and open); "
       "false: plain batches (v1). A provincial node that predates v2 sends v1 either way."},
      {"exchange.poll_interval_ms", kInt, "200",
       "How long a caught-up puller waits before asking a provincial node again."},
      {"exchange.retry_max_ms", kInt, "5000",
       "The longest a puller waits after failures (it doubles from 200 ms up to this): also how "
       "long a healed link or a source reset (nemis exchange reset) can wait to be taken up. A "
       "retry is one connection attempt, nothing at the national node even with every province "
       "down."},
      {"exchange.national", kString, "",
       "Provincial node: the national node's address (http://host:port, or https://host:tls_port "
       "for mutual TLS), asked whether the "
       "country holds a student elsewhere (nemis registry convert-temporary) and asked for its "
       "one-person-one-number conflicts about this province's students, each opened as a case here."},
      {"exchange.conflict_poll_ms", kInt, "5000",
       "Provincial node with exchange.national: how often it polls the national node (conflicts, "
       "cross-province transfers, division changes)."},
      {"population.url", kString, "",
       "The population register's verification interface (人口信息比对), http://host:port/path; "
       "empty: no online check (the file path, nemis registry population-verdicts, remains)."},
      {"population.token_file", kString, "",
       "File holding the bearer token the population register issued this node (owner-readable "
       "only); empty: no Authorization header."},
      {"population.batch", kInt, "500",
       "Persons per request to the population register (1-10000)."},
      {"population.timeout_ms", kInt, "30000",
       "How long one request to the population register may take."},
      {"finance.url", kString, "",
       "The finance department's payment platform for student aid (惠民惠农财政补贴资金一卡通, or "
       "its gateway), http://host:port/path; empty: nemis aid pay is not available."},
      {"finance.token_file", kString, "",
       "File holding the bearer token the finance department issued this node (owner-readable "
       "only); empty: no Authorization header."},
      {"finance.batch", kInt, "500", "Payments per request to the finance department (1-10000)."},
      {"finance.timeout_ms", kInt, "30000",
       "How long one request to the finance department may take."},
      {"hr.url", kString, "",
       "The human-resources department's staff records interface (人社部门事业单位人员信息, or its "
       "gateway), http://host:port/path; empty: nemis staff hr-sync is not available."},
      {"hr.token_file", kString, "",
       "File holding the bearer token the human-resources department issued this node "
       "(owner-readable only); empty: no Authorization header."},
      {"hr.batch", kInt, "500",
       "Staff records asked for per request to the human-resources "
       "department (1-5000)."},
      {"hr.timeout_ms", kInt, "30000",
       "How long one request to the human-resources department may take."},
      {"log.level", kString, "info", "Lowest level logged: debug, info, warn, error."},
      {"log.file", kString, "", "Log file (JSON lines); empty logs to standard error."},
      {"log.access", kBool, "true",
       "Log one line per HTTP request (paths with personal data masked)."},
  };
  return keys;
}

}  // namespace nemis
