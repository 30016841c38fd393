// A simulated population register (公安人口基础信息库) for the online population check
// (`nemis registry population-check`, src/exchange/population_register.hpp): it speaks the
// interface NEMIS speaks to the register, or to the department's gateway in front of it,
//
//   POST /verify   Authorization: Bearer <token>
//   {"requestId": "...", "persons": [{"idNumber": "...", "name": "..."}, ...]}
//   200 {"verdicts": [{"idNumber": "...", "name": "...", "verdict": "一致"|"查无此人"|"姓名不符"}]}
//
// and answers from the persons it is given: an unknown ID is 查无此人, a known ID under another
// name 姓名不符, else 一致. The faults a real register shows are switched on with --mode.
// Node.js built-in modules only.
//
//   node population_register_sim.mjs --persons FILE [--token T] [--port 0] [--log FILE]
//        [--mode ok|unavailable|garbage|bad_verdict|partial|slow|forbidden_after:N]
//
//   --persons FILE  CSV (UTF-8, a header line) "身份证件号,姓名": the persons the register knows
//   --token T       the bearer token it issued; any other (or none) gets 401
//   --log FILE      one JSON line per request answered: {"status", "persons"} — how many
//                   persons were asked, never who
//   --mode          ok: answers as above (the default); unavailable: 503 to everything;
//                   garbage: 200 with a body that is not JSON; bad_verdict: 200 with a verdict
//                   text the interface does not have; partial: leaves the last person of each
//                   request unanswered; slow: answers after --delay-ms (default 3000);
//                   forbidden_after:N: answers N requests, then 403 (the quota is used up)
//
// Prints "listening <port>" on standard output once it accepts requests.
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    persons: { type: 'string' },
    token: { type: 'string' },
    port: { type: 'string', default: '0' },
    log: { type: 'string' },
    mode: { type: 'string', default: 'ok' },
    'delay-ms': { type: 'string', default: '3000' },
  },
});
if (!args.persons) {
  console.error('usage: node population_register_sim.mjs --persons FILE [--token T] [--port 0] ' +
                '[--log FILE] [--mode ...]');
  process.exit(2);
}

const [mode, modeArg] = args.mode.split(':');
const modes = ['ok', 'unavailable', 'garbage', 'bad_verdict', 'partial', 'slow', 'forbidden_after'];
if (!modes.includes(mode) || (mode === 'forbidden_after' && !/^\d+$/.test(modeArg ?? ''))) {
  console.error(`unknown --mode ${args.mode}`);
  process.exit(2);
}

// ID number → name, from the CSV (the names hold no commas or quotes).
function readPersons(path) {
  const known = new Map();
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    const [idNumber, name] = line.split(',').map((cell) => cell.trim());
    known.set(idNumber.toUpperCase(), name);
  }
  return known;
}

const known = readPersons(args.persons);

function verdictOf({ idNumber, name }) {
  const registered = known.get(idNumber.toUpperCase());
  if (registered === undefined) return '查无此人';
  return registered === name ? '一致' : '姓名不符';
}

// The persons of a well-formed request, or null.
function personsOf(body) {
  let request;
  try {
    request = JSON.parse(body);
  } catch {
    return null;
  }
  const wellFormed = (p) => p && typeof p.idNumber === 'string' && typeof p.name === 'string';
  if (typeof request?.requestId !== 'string' || !Array.isArray(request.persons) ||
      !request.persons.every(wellFormed))
    return null;
  return request.persons;
}

function log(status, persons) {
  if (args.log) appendFileSync(args.log, JSON.stringify({ status, persons }) + '\n');
}

function send(res, status, body, persons = 0) {
  log(status, persons);
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(text);
}

let served = 0;  // requests answered 200, for forbidden_after

// The answer to a well-formed request of `persons`, as the mode has it.
function answer(res, persons) {
  if (mode === 'forbidden_after' && served >= Number(modeArg))
    return send(res, 403, { error: 'quota exceeded' }, persons.length);
  ++served;
  if (mode === 'garbage') return send(res, 200, '<html>网关错误</html>', persons.length);
  const answered = mode === 'partial' ? persons.slice(0, -1) : persons;
  const verdicts = answered.map((p) => ({
    idNumber: p.idNumber,
    name: p.name,
    verdict: mode === 'bad_verdict' ? '待核实' : verdictOf(p),
  }));
  const reply = () => send(res, 200, { verdicts }, persons.length);
  if (mode === 'slow') setTimeout(reply, Number(args['delay-ms']));
  else reply();
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    if (mode === 'unavailable') return send(res, 503, { error: 'maintenance' });
    if (req.method !== 'POST' || new URL(req.url, 'http://register').pathname !== '/verify')
      return send(res, 400, { error: 'only POST /verify' });
    if (args.token !== undefined && req.headers.authorization !== `Bearer ${args.token}`)
      return send(res, 401, { error: 'bad token' });
    const persons = personsOf(Buffer.concat(chunks).toString('utf8'));
    if (!persons) return send(res, 400, { error: 'bad request body' });
    answer(res, persons);
  });
});

server.listen(Number(args.port), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
// Stopped by the test with SIGTERM or SIGKILL.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
