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
import { parseArgs } from 'node:util';

import { jsonLog, parseMode, readCsvRows, sendJson, serve } from './sim_server.mjs';

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

const { mode, arg: modeArg } = parseMode(
  args.mode, ['ok', 'unavailable', 'garbage', 'bad_verdict', 'partial', 'slow', 'forbidden_after']);

// ID number → name.
const known = new Map(readCsvRows(args.persons)
  .map(([idNumber, name]) => [idNumber.toUpperCase(), name]));

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

const log = jsonLog(args.log);

function send(res, status, body, persons = 0) {
  log({ status, persons });
  sendJson(res, status, body);
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

serve({
  port: args.port,
  path: '/verify',
  token: args.token,
  unavailable: mode === 'unavailable',
  refuse: (res, status, body) => send(res, status, body),
  handle: (res, text) => {
    const persons = personsOf(text);
    if (!persons) return send(res, 400, { error: 'bad request body' });
    answer(res, persons);
  },
});
