// Approval cases and transfers: the inbox, one case with its history and the actions the
// caller may take, acting with If-Match, the transfer lookup and opening a transfer.
import type { components, operations } from '@/api/schema'
import { api } from '@/api/http'

export type ApprovalCase = components['schemas']['ApprovalCase']
export type CaseWithHistory = components['schemas']['ApprovalCaseWithHistory']
export type StatusChange = components['schemas']['StatusChange']
export type Inbox = operations['listWaitingCases']['responses'][200]['content']['application/json']
export type TransferCandidate = operations['lookupTransferStudent']['responses'][200]['content']['application/json']
export type TransferBody = NonNullable<operations['openTransfer']['requestBody']>['content']['application/json']
export type CaseAction = 'approve' | 'return' | 'reject' | 'cancel' | 'withdraw'
/** A cross-province transfer in (transfer.external_in): the other node's side, as the exchange last heard it. */
export type OtherNode = NonNullable<CaseWithHistory['otherNode']>
export type StatusChangeBody = NonNullable<operations['openStatusChange']['requestBody']>['content']['application/json']

export async function waitingForMe(limit = 100): Promise<Inbox> {
  return (await api.get('/api/v1/cases', { query: { waiting: 'me', limit } })).data
}

export async function readCase(id: number): Promise<CaseWithHistory> {
  return (await api.get('/api/v1/cases/{id}', { path: { id } })).data
}

/** Acts on a case with the version read (If-Match). `withdraw` (asking the other node to
 * close a cross-province transfer in) answers 202 with the case, still open. */
export async function actOnCase(kase: CaseWithHistory, action: CaseAction, reason: string): Promise<CaseWithHistory> {
  const body = reason.trim() ? { reason: reason.trim() } : {}
  return (await api.post('/api/v1/cases/{id}/{action}', {
    path: { id: kase.id, action },
    body,
    headers: { 'If-Match': `"v${kase.version}"` },
  })).data
}

export async function lookupStudent(studentNumber: string, name: string): Promise<TransferCandidate> {
  return (await api.post('/api/v1/transfers/lookup', { body: { studentNumber, name } })).data
}

export async function openTransfer(body: TransferBody): Promise<CaseWithHistory> {
  return (await api.post('/api/v1/transfers', { body })).data
}

export async function studentChanges(studentNumber: string): Promise<StatusChange[]> {
  return (await api.get('/api/v1/students/{studentNumber}/changes', { path: { studentNumber } })).data.items
}

export async function openStatusChange(studentNumber: string, body: StatusChangeBody): Promise<CaseWithHistory> {
  return (await api.post('/api/v1/students/{studentNumber}/status-changes', { path: { studentNumber }, body })).data
}

export type CorrectionBody = NonNullable<operations['openCorrection']['requestBody']>['content']['application/json']
export type CorrectionHistory = operations['listCorrections']['responses'][200]['content']['application/json']
export type Correction = CorrectionHistory['items'][number]

export async function openCorrection(studentNumber: string, body: CorrectionBody): Promise<CaseWithHistory> {
  return (await api.post('/api/v1/students/{studentNumber}/corrections', { path: { studentNumber }, body })).data
}

export async function studentCorrections(studentNumber: string): Promise<CorrectionHistory> {
  return (await api.get('/api/v1/students/{studentNumber}/corrections', { path: { studentNumber } })).data
}
