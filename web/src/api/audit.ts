// /api/v1/audit: the audit administrator's view of the log, and its CSV export URL.
import type { components, operations } from './schema'
import { api } from './http'
import type { Page } from '@/composables/useKeysetPager'

export type AuditEntry = components['schemas']['AuditEntry']
export type AuditQuery = NonNullable<operations['listAuditEntries']['parameters']['query']>

export async function listAudit(query: AuditQuery): Promise<Page<AuditEntry>> {
  return (await api.get('/api/v1/audit', { query })).data
}

/** The export link (a plain GET: the session cookie authenticates it, no CSRF needed). */
export function auditExportUrl(query: Omit<AuditQuery, 'limit' | 'after'>): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v))
  const qs = params.toString()
  return '/api/v1/audit/export' + (qs ? '?' + qs : '')
}

export type AuditVerification =
  operations['getAuditVerification']['responses']['200']['content']['application/json']

/** The chain's verification (kept by the server for a minute between walks). */
export async function getAuditVerification(): Promise<AuditVerification> {
  return (await api.get('/api/v1/audit/verification')).data
}
