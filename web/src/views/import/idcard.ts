// GB 11643 居民身份证号: the ISO 7064 MOD 11-2 check digit of the first 17 digits.
const kWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const kCheck = '10X98765432'

/** The check character (0-9 or X) for 17 digits. */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('17 digits expected')
  let sum = 0
  for (let i = 0; i < 17; ++i) sum += Number(first17[i]) * (kWeights[i] ?? 0)
  return kCheck[sum % 11] ?? '?'
}

/** A full 18-character number: region (6) + birth date (8) + sequence (3) + check digit. */
export function makeIdNumber(region: string, birth: string, sequence: string): string {
  const first17 = region + birth.replaceAll('-', '') + sequence
  return first17 + idCheckDigit(first17)
}

export function isValidIdNumber(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && idCheckDigit(id.slice(0, 17)) === id[17]
}
