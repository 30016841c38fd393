// The portal's own masking of personal data, the same shapes as the server's
// (src/registry/personal_mask.cpp). A caller holding student.view_sensitive receives the
// values whole; the portal still shows them masked until the user asks for one record
// with "显示" (a fresh, audited GET). Masking an already masked value changes nothing.
import type { Student } from './api'

function keepEnds(text: string, head: number, tail: number): string {
  if (text.length <= head + tail) return '*'.repeat(text.length)
  return text.slice(0, head) + '*'.repeat(text.length - head - tail) + text.slice(text.length - tail)
}

export function maskDocument(number: string | null | undefined): string | null {
  if (!number) return number ?? null
  if (number.length >= 12) return keepEnds(number, 4, 4)
  if (number.length >= 6) return keepEnds(number, 2, 2)
  return '*'.repeat(number.length)
}

/** G numbers hold the citizen ID; J and L numbers are shown as they are (as the server does). */
export function maskStudentNumber(number: string): string {
  if (!number.startsWith('G')) return number
  return 'G' + (maskDocument(number.slice(1)) ?? '')
}

export function maskPhone(phone: string | null | undefined): string | null {
  return phone ? keepEnds(phone, 3, 4) : (phone ?? null)
}

export function maskAddress(address: string | null | undefined): string | null {
  return address ? Array.from(address).slice(0, 6).join('') + '****' : (address ?? null)
}

/** The personal fields of a student, as they are masked. */
export const kPersonalFields = [
  'studentNumber', 'idNumber', 'address', 'phone',
  'guardian1IdNumber', 'guardian1Phone', 'guardian2IdNumber', 'guardian2Phone',
] as const

export function masked(s: Student): Student {
  return {
    ...s,
    studentNumber: maskStudentNumber(s.studentNumber),
    idNumber: maskDocument(s.idNumber),
    address: maskAddress(s.address),
    phone: maskPhone(s.phone),
    guardian1IdNumber: maskDocument(s.guardian1IdNumber),
    guardian1Phone: maskPhone(s.guardian1Phone),
    guardian2IdNumber: maskDocument(s.guardian2IdNumber),
    guardian2Phone: maskPhone(s.guardian2Phone),
  }
}

/** True when the server itself masked something (the caller may not see it whole). */
export function serverMasked(s: Student): boolean {
  return kPersonalFields.some((f) => (s[f] ?? '').includes('*'))
}
