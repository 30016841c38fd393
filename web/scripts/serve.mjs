// A small static server for the built portal, standing in for `nemis serve` when
// checking the build: SPA fallback to index.html, precompressed .br/.gz chosen by
// Accept-Encoding, long cache for hashed assets and none for index.html, the security
// headers with the portal's Content-Security-Policy, and /api, /oidc proxied to a node.
//   node scripts/serve.mjs [--port 4173] [--api http://127.0.0.1:18090] [--csp "..."]
import { createServer, request as httpRequest } from 'node:http'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, join, normalize } from 'node:path'

/** The policy the portal is built to run under (see README.md). */
export const kCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const args = process.argv.slice(2)
/** @param {string} name @param {string} fallback */
function arg(name, fallback) {
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback
}
const port = Number(arg('--port', process.env.PORT ?? '4173'))
const api = new URL(arg('--api', process.env.NEMIS_API ?? 'http://127.0.0.1:18090'))
const csp = arg('--csp', kCsp)
const dist = new URL('../dist/', import.meta.url).pathname

/** @type {Record<string, string>} */
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
}

/** @param {import('node:http').ServerResponse} res */
function securityHeaders(res) {
  res.setHeader('Content-Security-Policy', csp)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('X-Frame-Options', 'DENY')
}

/** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
function proxy(req, res) {
  const upstream = httpRequest(
    { host: api.hostname, port: api.port, method: req.method, path: req.url, headers: { ...req.headers, host: api.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  upstream.on('error', () => {
    res.writeHead(502, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ error: { code: 'http_502', message: 'upstream unreachable', fields: [], requestId: '' } }))
  })
  req.pipe(upstream)
}

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (/^\/(api|oidc|healthz|readyz|metrics|\.well-known)(\/|$)/.test(url.pathname)) return proxy(req, res)
  securityHeaders(res)
  let path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '')
  let file = join(dist, path)
  const isAsset = path.startsWith('/assets/')
  if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) {
    if (isAsset || extname(path)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' })
      return res.end('not found')
    }
    file = join(dist, 'index.html') // SPA route
  }
  const accept = String(req.headers['accept-encoding'] ?? '')
  let body = file
  let encoding = ''
  if (/\bbr\b/.test(accept) && existsSync(file + '.br')) [body, encoding] = [file + '.br', 'br']
  else if (/\bgzip\b/.test(accept) && existsSync(file + '.gz')) [body, encoding] = [file + '.gz', 'gzip']
  res.setHeader('Content-Type', types[extname(file)] ?? 'application/octet-stream')
  res.setHeader('Vary', 'Accept-Encoding')
  res.setHeader('Cache-Control', isAsset ? 'public, max-age=31536000, immutable' : 'no-cache')
  if (encoding) res.setHeader('Content-Encoding', encoding)
  res.writeHead(200)
  res.end(req.method === 'HEAD' ? undefined : readFileSync(body))
}).listen(port, '127.0.0.1', () => {
  console.log(`portal on http://127.0.0.1:${port}/ (API ${api.origin}); CSP: ${csp}`)
})
