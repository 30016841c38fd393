// /api/v1/accounts: the security administrator's accounts within its scope.
import type { components, operations } from './schema'
import { api } from './http'
import type { Page } from '@/composables/useKeysetPager'

export type AccountSummary = components['schemas']['AccountSummary']
export type AccountQuery = NonNullable<operations['listAccounts']['parameters']['query']>
export type OneTimePassword = components['schemas']['OneTimePassword']

export async function listAccounts(query: AccountQuery): Promise<Page<AccountSummary>> {
  return (await api.get('/api/v1/accounts', { query })).data
}
export async function disableAccount(login: string): Promise<void> {
  await api.post('/api/v1/accounts/{login}/disable', { path: { login } })
}
export async function enableAccount(login: string): Promise<void> {
  await api.post('/api/v1/accounts/{login}/enable', { path: { login } })
}
export async function resetPassword(login: string): Promise<OneTimePassword> {
  return (await api.post('/api/v1/accounts/{login}/password-reset', { path: { login } })).data
}

export type AccountCreate = components['schemas']['AccountCreate']
export type GrantRequest = components['schemas']['GrantRequest']

/** Creates an account (with optional grants); the answer holds its one-time password. */
export async function createAccount(body: AccountCreate): Promise<OneTimePassword> {
  return (await api.post('/api/v1/accounts', { body })).data
}
export type PendingChange = components['schemas']['PendingChange']

/**
 * Adds one grant (role at an institution); granting an existing grant again is a no-op.
 * A privileged role (personal data, administrator) waits for a second person: the answer
 * names its approval case; null when the grant applies at once.
 */
export async function grantRole(login: string, body: GrantRequest): Promise<PendingChange | null> {
  const r = await api.post('/api/v1/accounts/{login}/grants', { path: { login }, body })
  return (r.data as PendingChange | undefined) ?? null
}
