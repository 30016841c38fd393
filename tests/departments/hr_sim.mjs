// A simulated human-resources department (人力资源社会保障部门, its 事业单位人员信息 system) for
// the staff records of the schools: it speaks the interface NEMIS speaks to the system, or to
// the department's gateway in front of it, a change feed of the staff of the units (schools)
// the calling node covers,
//
//   POST /staff/changes   Authorization: Bearer <token>
//   {"requestId": "<32 hex>", "after": "<cursor; \"\" for the beginning>", "limit": 500}
//   200 {"records": [{"idNumber": "...", "name": "...", "unitCode": "<10-digit school code>",
//                     "post": "专业技术岗位"|"管理岗位"|"工勤技能岗位", "title": "一级教师" (may be ""),
//                     "status": "在岗"|"离岗"|"退休"|"调出"|"死亡",
//                     "changedAt": "2026-12-01T08:00:00Z"}, ...],
//        "next": "<cursor after the last record returned>", "more": true|false}
//
// Each record is the whole current state of one person; a person changed again appears again
// later in the feed with the newer state. The feed is the records it is given, in file order;
// record i (0-based) was changed at 2026-12-01T08:00:00Z plus i minutes. The cursor is opaque
// to NEMIS; here it is "c" + the number of records already delivered ("" and "c0" are the
// beginning). A page is min(limit, --page-max) records; "next" is the cursor after them and
// "more" whether records remain after them. A cursor at the end is answered 200 with no
// records, "next" the same cursor and more false; a cursor that is not "" nor "c<digits>", or
// is beyond the end, is answered 400 {"error": "bad cursor"}. A body that is not JSON with a
// string requestId, a string after and an integer limit 1..5000 is answered
// 400 {"error": "bad request body"}; anything but POST /staff/changes
// 400 {"error": "only POST /staff/changes"}. The faults a real system shows are switched on
// with --mode. Node.js built-in modules only.
//
//   node hr_sim.mjs --records FILE [--token T] [--port 0] [--log FILE] [--page-max 1000]
//        [--mode ok|unavailable|garbage|bad_record|slow|forbidden_after:N|lost_answer_once|
//                repeat_page] [--delay-ms 3000]
//
//   --records FILE  CSV (UTF-8, optional BOM, a header line) "身份证件号,姓名,单位代码,岗位类别,
//                   职称,状态": the feed, in file order (the cells hold no commas or quotes;
//                   职称 may be empty)
//   --token T       the bearer token it issued; any other (or none) gets 401 {"error": "bad token"}
//   --log FILE      one JSON line per request: {"status", "after", "records"} — the HTTP status
//                   (0 when the answer was dropped), the cursor asked ("" when the body had
//                   none) and how many records were returned (for a dropped answer, how many
//                   the dropped page held), never whose
//   --page-max N    the most records a page holds, whatever the limit asked (default 1000)
//   --mode          ok: answers as above (the default); unavailable: 503 {"error": "maintenance"}
//                   to everything; garbage: 200 with the body "<html>网关错误</html>";
//                   bad_record: 200, but the first record of each page lacks "idNumber";
//                   slow: answers after --delay-ms (default 3000); forbidden_after:N: answers
//                   N requests 200, then 403 {"error": "quota exceeded"}; lost_answer_once:
//                   drops the connection of the first well-formed request without an answer,
//                   then answers normally; repeat_page: answers every page twice — the first
//                   time a position of the feed is asked, the page's records with "next" the
//                   same cursor that was asked (as if the feed had not moved) and more true, the
//                   second time (and after) the normal answer, so a client sees each page's
//                   records twice (an empty page, at the end, is not repeated)
//
// Prints "listening <port>" on standard output once it accepts requests.
import { parseArgs } from 'node:util';

import { jsonLog, parseMode, readCsvRows, sendJson, serve } from './sim_server.mjs';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string' },
    token: { type: 'string' },
    port: { type: 'string', default: '0' },
    log: { type: 'string' },
    'page-max': { type: 'string', default: '1000' },
    mode: { type: 'string', default: 'ok' },
    'delay-ms': { type: 'string', default: '3000' },
  },
});
if (!args.records) {
  console.error('usage: node hr_sim.mjs --records FILE [--token T] [--port 0] [--log FILE] ' +
                '[--page-max 1000] [--mode ...] [--delay-ms 3000]');
  process.exit(2);
}

const { mode, arg: modeArg } = parseMode(args.mode, [
  'ok', 'unavailable', 'garbage', 'bad_record', 'slow', 'forbidden_after', 'lost_answer_once',
  'repeat_page']);
if (!/^[1-9]\d*$/.test(args['page-max'])) {
  console.error(`bad --page-max ${args['page-max']}`);
  process.exit(2);
}
const pageMax = Number(args['page-max']);
const maxLimit = 5000;

// The feed, from the CSV: record i changed at 2026-12-01T08:00:00Z plus i minutes.
function readRecords(path) {
  const start = Date.UTC(2026, 11, 1, 8, 0, 0);
  return readCsvRows(path).map((cells, i) => {
    if (cells.length !== 6) {
      console.error(`${path}: record ${i + 1} has ${cells.length} cells, not 6`);
      process.exit(2);
    }
    const [idNumber, name, unitCode, post, title, status] = cells;
    const changedAt = new Date(start + i * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { idNumber, name, unitCode, post, title, status, changedAt };
  });
}

const feed = readRecords(args.records);

// The request of a well-formed body, or null.
function requestOf(body) {
  let request;
  try {
    request = JSON.parse(body);
  } catch {
    return null;
  }
  if (request === null || typeof request !== 'object' || typeof request.requestId !== 'string' ||
      typeof request.after !== 'string' || !Number.isInteger(request.limit) ||
      request.limit < 1 || request.limit > maxLimit)
    return null;
  return request;
}

// The cursor asked in a body, for the log ("" when there is none).
function afterOf(body) {
  try {
    const after = JSON.parse(body)?.after;
    return typeof after === 'string' ? after : '';
  } catch {
    return '';
  }
}

// The position of a cursor in the feed, or null when it is not one of its cursors.
function positionOf(cursor) {
  if (cursor === '') return 0;
  if (!/^c\d+$/.test(cursor)) return null;
  const n = Number(cursor.slice(1));
  return n <= feed.length ? n : null;
}

const appendLog = jsonLog(args.log);
const log = (status, after, records) => appendLog({ status, after, records });

function send(res, status, body, after = '', records = 0) {
  log(status, after, records);
  sendJson(res, status, body);
}

let served = 0;  // requests answered 200, for forbidden_after
let lostOne = false;  // lost_answer_once: the first answer has been lost
const askedOnce = new Set();  // repeat_page: the positions whose page has been answered once

// The answer to a well-formed request for the page at `position`, as the mode has it.
function answer(res, after, position, limit) {
  if (mode === 'forbidden_after' && served >= Number(modeArg))
    return send(res, 403, { error: 'quota exceeded' }, after);
  const page = feed.slice(position, position + Math.min(limit, pageMax));
  if (mode === 'lost_answer_once' && !lostOne) {
    lostOne = true;
    log(0, after, page.length);
    res.socket.destroy();
    return;
  }
  ++served;
  if (mode === 'garbage') return send(res, 200, '<html>网关错误</html>', after);
  let next = `c${position + page.length}`;
  let more = position + page.length < feed.length;
  if (mode === 'repeat_page' && page.length > 0 && !askedOnce.has(position)) {
    askedOnce.add(position);
    next = after;
    more = true;
  }
  const records = page.map((r) => ({ ...r }));
  if (mode === 'bad_record' && records.length > 0) delete records[0].idNumber;
  const reply = () => send(res, 200, { records, next, more }, after, records.length);
  if (mode === 'slow') setTimeout(reply, Number(args['delay-ms']));
  else reply();
}

serve({
  port: args.port,
  path: '/staff/changes',
  token: args.token,
  unavailable: mode === 'unavailable',
  refuse: (res, status, body, text) => send(res, status, body, afterOf(text)),
  handle: (res, text) => {
    const after = afterOf(text);
    const request = requestOf(text);
    if (!request) return send(res, 400, { error: 'bad request body' }, after);
    const position = positionOf(request.after);
    if (position === null) return send(res, 400, { error: 'bad cursor' }, after);
    answer(res, request.after, position, request.limit);
  },
});
