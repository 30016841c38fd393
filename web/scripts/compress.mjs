// Writes <file>.gz and <file>.br beside every compressible file of dist/assets and
// dist/index.html, so `nemis serve` can send them as they are when the client accepts
// gzip or brotli. Node's zlib only: no extra dependency.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, extname } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const dist = new URL('../dist/', import.meta.url).pathname
const compressible = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.map', '.ttf', '.otf', '.ico'])
const kMinBytes = 256 // smaller files gain nothing worth a second request path

/** @param {string} dir @returns {string[]} */
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

const files = [join(dist, 'index.html'), ...walk(join(dist, 'assets'))].filter(
  (f) => compressible.has(extname(f)) && statSync(f).size >= kMinBytes,
)
let raw = 0
let gz = 0
let br = 0
for (const file of files) {
  const data = readFileSync(file)
  const gzipped = gzipSync(data, { level: 9 })
  const brotli = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      [constants.BROTLI_PARAM_MODE]: extname(file) === '.ttf' ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  })
  writeFileSync(file + '.gz', gzipped)
  writeFileSync(file + '.br', brotli)
  raw += data.length
  gz += gzipped.length
  br += brotli.length
}
/** @param {number} n */
const kib = (n) => (n / 1024).toFixed(1) + ' KiB'
console.log(`compress: ${files.length} files, ${kib(raw)} → gzip ${kib(gz)}, brotli ${kib(br)}`)
