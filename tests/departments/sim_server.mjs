// What the simulated departments share (population_register_sim.mjs, finance_sim.mjs,
// hr_sim.mjs): the --mode switch, the CSV files they are given, the request log, JSON answers,
// and the server: POST at one path on 127.0.0.1, a bearer token, "listening <port>" on
// standard output once it accepts requests, stopped by SIGTERM. Node.js built-in modules only.
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';

// {mode, arg} of --mode MODE[:ARG]; exits 2 for a mode not in `modes` (forbidden_after needs
// a count).
export function parseMode(spec, modes) {
  const [mode, arg] = spec.split(':');
  if (!modes.includes(mode) || (mode === 'forbidden_after' && !/^\d+$/.test(arg ?? ''))) {
    console.error(`unknown --mode ${spec}`);
    process.exit(2);
  }
  return { mode, arg };
}

// The rows of a CSV file after its header line, each an array of trimmed cells (UTF-8, a BOM
// allowed, blank lines skipped; the cells hold no commas or quotes).
export function readCsvRows(path) {
  return readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).slice(1)
    .filter((line) => line.trim())
    .map((line) => line.split(',').map((cell) => cell.trim()));
}

// A function appending one JSON line to `path` (nothing when there is no path).
export function jsonLog(path) {
  return (entry) => {
    if (path) appendFileSync(path, JSON.stringify(entry) + '\n');
  };
}

export function sendJson(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

// Serves POST `path` on 127.0.0.1:`port`. Refusals go to refuse(res, status, body, text):
// 503 to everything when `unavailable`, 400 for another method or path, 401 without the
// bearer `token` (when one is set), 413 for a body over `maxBodyBytes`; anything else to
// handle(res, text) with the request body as text.
export function serve({ port, path, token, unavailable, maxBodyBytes = Infinity, refuse, handle }) {
  const server = createServer((req, res) => {
    const chunks = [];
    let bytes = 0;
    req.on('data', (chunk) => {
      bytes += chunk.length;
      if (bytes <= maxBodyBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (unavailable) return refuse(res, 503, { error: 'maintenance' }, text);
      if (req.method !== 'POST' || new URL(req.url, 'http://department').pathname !== path)
        return refuse(res, 400, { error: `only POST ${path}` }, text);
      if (token !== undefined && req.headers.authorization !== `Bearer ${token}`)
        return refuse(res, 401, { error: 'bad token' }, text);
      if (bytes > maxBodyBytes) return refuse(res, 413, { error: 'request too large' }, text);
      handle(res, text);
    });
  });
  server.listen(Number(port), '127.0.0.1', () => {
    console.log(`listening ${server.address().port}`);
  });
  // Stopped by the test with SIGTERM or SIGKILL.
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  return server;
}
