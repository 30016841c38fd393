// RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30 s), as the node checks it: lets browser checks
// and tests compute an authenticator's code from its base32 secret.
import { createHmac } from 'node:crypto'

/** @param {string} secret base32 @param {number} [at] ms since the epoch @returns {string} */
export function totp(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0')
  const key = Buffer.from(bits.match(/.{8}/g)?.map((b) => parseInt(b, 2)) ?? [])
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)))
  const h = createHmac('sha1', key).update(counter).digest()
  const o = (h[h.length - 1] ?? 0) & 15
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0')
}
