// A simulated finance department (财政部门 惠民惠农财政补贴资金"一卡通" payment platform) for
// the payment of student aid: it speaks the interface NEMIS speaks to the platform, or to the
// department's gateway in front of it,
//
//   POST /payments   Authorization: Bearer <token>
//   {"requestId": "...",
//    "payments": [{"paymentId": "...", "idNumber": "...", "name": "...", "programme": "03",
//                  "programmeName": "...", "schoolYear": 2026, "amount": "1500.00",
//                  "schoolCode": "..."}, ...]}
//   200 {"results": [{"paymentId": "...", "result": "已发放"|"未发放"|"处理中",
//                     "reference": "CZ…" (已发放 only), "reason": "..." (未发放 only)}]}
//
// and pays into the 一卡通 accounts it is given: an ID with no account is 未发放 (无有效一卡通账户),
// an account under another name 未发放 (姓名与账户不符), else 已发放 with a voucher number
// "CZ" + 12 digits. The platform dedupes by paymentId: a payment sent again is never paid twice
// but answered the result it got the first time (the same voucher number); sent again with
// another amount or ID number it is answered 未发放 (支付编号重复且内容不同) and still not paid
// again. The faults a real platform shows are switched on with --mode. Node.js built-in modules
// only.
//
//   node finance_sim.mjs --accounts FILE [--token T] [--port 0] [--log FILE] [--ledger FILE]
//        [--mode ok|unavailable|garbage|bad_result|partial|pending|slow|forbidden_after:N|
//                lost_answer_once] [--delay-ms 3000]
//
//   --accounts FILE  CSV (UTF-8, a header line) "身份证件号,姓名": the persons holding an account
//   --token T        the bearer token it issued; any other (or none) gets 401
//   --log FILE       one JSON line per request: {"status", "payments", "paid"} — how many
//                    payments were sent and how many of them this request paid, never whose;
//                    a request whose answer was lost (lost_answer_once) is logged as status 0
//   --ledger FILE    the platform's own store, rewritten (atomically) at start and after each
//                    request: {"paid": {"<paymentId>": {"amount", "idNumber", "reference"}},
//                    "paidCount": N} — every payment paid, each once
//   --mode           ok: answers as above (the default); unavailable: 503 to everything;
//                    garbage: 200 with a body that is not JSON (nothing paid); bad_result: 200
//                    with a result text the interface does not have (nothing paid); partial:
//                    leaves the last payment of each request out of the results (and unpaid);
//                    pending: answers each payment 处理中 the first time it is seen and pays it
//                    (its real result) the next time it is sent; slow: pays at once but answers
//                    after --delay-ms (default 3000); forbidden_after:N: answers N requests,
//                    then 403 (the quota is used up; nothing paid); lost_answer_once: pays the
//                    first request but drops the connection without an answer, then answers
//                    normally
//
// Prints "listening <port>" on standard output once it accepts requests.
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { jsonLog, parseMode, readCsvRows, sendJson, serve } from './sim_server.mjs';

const { values: args } = parseArgs({
  options: {
    accounts: { type: 'string' },
    token: { type: 'string' },
    port: { type: 'string', default: '0' },
    log: { type: 'string' },
    ledger: { type: 'string' },
    mode: { type: 'string', default: 'ok' },
    'delay-ms': { type: 'string', default: '3000' },
  },
});
if (!args.accounts) {
  console.error('usage: node finance_sim.mjs --accounts FILE [--token T] [--port 0] ' +
                '[--log FILE] [--ledger FILE] [--mode ...] [--delay-ms 3000]');
  process.exit(2);
}

const { mode, arg: modeArg } = parseMode(args.mode, [
  'ok', 'unavailable', 'garbage', 'bad_result', 'partial', 'pending', 'slow', 'forbidden_after',
  'lost_answer_once']);

const maxPayments = 10000;
const maxBodyBytes = 64 * 1024 * 1024;

// ID number → account holder's name.
const accounts = new Map(readCsvRows(args.accounts)
  .map(([idNumber, name]) => [idNumber.toUpperCase(), name]));

// paymentId → {idNumber, amount, result, pending}: every payment answered, with the result
// object it was answered (a pending one is answered 处理中 until it is sent again).
const seen = new Map();
// paymentId → {amount, idNumber, reference}: the payments made, each once.
const paid = new Map();
let vouchers = 0;

function writeLedger() {
  if (!args.ledger) return;
  const ledger = { paid: Object.fromEntries(paid), paidCount: paid.size };
  const tmp = `${args.ledger}.tmp`;
  writeFileSync(tmp, JSON.stringify(ledger, null, 1) + '\n');
  renameSync(tmp, args.ledger);
}

// The amount in cents, so that "0100.00" and "100.00" are the same amount.
const cents = (amount) => BigInt(amount.replace('.', ''));

// Settles a payment seen for the first time (or a pending one seen again): pays it if it can.
function settle(p) {
  const holder = accounts.get(p.idNumber.toUpperCase());
  if (holder === undefined)
    return { paymentId: p.paymentId, result: '未发放', reason: '无有效一卡通账户' };
  if (holder !== p.name)
    return { paymentId: p.paymentId, result: '未发放', reason: '姓名与账户不符' };
  const reference = `CZ${String(++vouchers).padStart(12, '0')}`;
  paid.set(p.paymentId, { amount: p.amount, idNumber: p.idNumber, reference });
  return { paymentId: p.paymentId, result: '已发放', reference };
}

// The result of one payment of a request, recording (and paying) it as the mode has it.
function process1(p) {
  const before = seen.get(p.paymentId);
  if (before) {
    if (before.idNumber !== p.idNumber.toUpperCase() || before.amount !== cents(p.amount))
      return { paymentId: p.paymentId, result: '未发放', reason: '支付编号重复且内容不同' };
    if (before.pending) {
      before.pending = false;
      before.result = settle(p);
    }
    return before.result;
  }
  const entry = { idNumber: p.idNumber.toUpperCase(), amount: cents(p.amount) };
  if (mode === 'pending') {
    entry.pending = true;
    entry.result = { paymentId: p.paymentId, result: '处理中' };
  } else {
    entry.pending = false;
    entry.result = settle(p);
  }
  seen.set(p.paymentId, entry);
  return entry.result;
}

// The payments of a well-formed request; {tooMany} when there are more than maxPayments;
// or null.
function paymentsOf(body) {
  let request;
  try {
    request = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof request?.requestId !== 'string' || !Array.isArray(request.payments)) return null;
  if (request.payments.length > maxPayments) return { tooMany: request.payments.length };
  const wellFormed = (p) =>
    p !== null && typeof p === 'object' && typeof p.paymentId === 'string' &&
    typeof p.idNumber === 'string' && typeof p.name === 'string' &&
    typeof p.programme === 'string' && typeof p.amount === 'string' &&
    /^\d+\.\d{2}$/.test(p.amount) && Number.isInteger(p.schoolYear);
  if (!request.payments.every(wellFormed)) return null;
  return { payments: request.payments };
}

const appendLog = jsonLog(args.log);
const log = (status, payments, newlyPaid) => appendLog({ status, payments, paid: newlyPaid });

function send(res, status, body, payments = 0, newlyPaid = 0) {
  log(status, payments, newlyPaid);
  sendJson(res, status, body);
}

let served = 0;  // requests answered 200, for forbidden_after
let lostOne = false;  // lost_answer_once: the first answer has been lost

// The answer to a well-formed request of `payments`, as the mode has it.
function answer(res, payments) {
  if (mode === 'forbidden_after' && served >= Number(modeArg))
    return send(res, 403, { error: 'quota exceeded' }, payments.length);
  ++served;
  if (mode === 'garbage') return send(res, 200, '<html>网关错误</html>', payments.length);
  if (mode === 'bad_result') {
    const results = payments.map((p) => ({ paymentId: p.paymentId, result: '待定' }));
    return send(res, 200, { results }, payments.length);
  }
  const processed = mode === 'partial' ? payments.slice(0, -1) : payments;
  const paidBefore = paid.size;
  // A paymentId twice in one request is one sending: the second gets the first's result.
  const thisRequest = new Map();
  const results = processed.map((p) => {
    const earlier = thisRequest.get(p.paymentId);
    if (earlier && earlier.idNumber === p.idNumber.toUpperCase() &&
        earlier.amount === cents(p.amount))
      return earlier.result;
    const result = process1(p);
    if (!earlier)
      thisRequest.set(p.paymentId,
                      { idNumber: p.idNumber.toUpperCase(), amount: cents(p.amount), result });
    return result;
  });
  const newlyPaid = paid.size - paidBefore;
  writeLedger();
  if (mode === 'lost_answer_once' && !lostOne) {
    lostOne = true;
    log(0, payments.length, newlyPaid);
    res.socket.destroy();
    return;
  }
  const reply = () => send(res, 200, { results }, payments.length, newlyPaid);
  if (mode === 'slow') setTimeout(reply, Number(args['delay-ms']));
  else reply();
}

writeLedger();
serve({
  port: args.port,
  path: '/payments',
  token: args.token,
  unavailable: mode === 'unavailable',
  maxBodyBytes,
  refuse: (res, status, body) => send(res, status, body),
  handle: (res, text) => {
    const request = paymentsOf(text);
    if (!request) return send(res, 400, { error: 'bad request body' });
    if (request.tooMany)
      return send(res, 413, { error: `at most ${maxPayments} payments a request` },
                  request.tooMany);
    answer(res, request.payments);
  },
});
