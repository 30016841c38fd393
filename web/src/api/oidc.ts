// /api/v1/oidc/clients: the applications that sign users in through NEMIS (the
// security administrator registers, lists and disables them). The OpenAPI document
// gives these answers no schema, so their shape is written out here from
// src/api/oidc_client_routes.cpp.
import { api } from './http'
import { ApiError, kBadResponse } from './errors'

export interface OidcClient {
  clientId: string
  name: string
  /** A public client (PKCE only, no secret). */
  public: boolean
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  active: boolean
  createdAt: string
}
/** The registration answer: a confidential client's secret appears this once. */
export type RegisteredClient = OidcClient & { clientSecret?: string }

export interface OidcClientInput {
  name: string
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  public: boolean
}

function isClient(v: unknown): v is OidcClient {
  return typeof v === 'object' && v !== null && typeof (v as { clientId?: unknown }).clientId === 'string'
}

export async function listOidcClients(): Promise<OidcClient[]> {
  const data: unknown = (await api.get('/api/v1/oidc/clients')).data
  const items = (data as { items?: unknown } | undefined)?.items
  if (!Array.isArray(items) || !items.every(isClient)) throw new ApiError(200, kBadResponse, '', [], '')
  return items
}

export async function registerOidcClient(input: OidcClientInput): Promise<RegisteredClient> {
  const data: unknown = (await api.post('/api/v1/oidc/clients', { body: input })).data
  if (!isClient(data)) throw new ApiError(201, kBadResponse, '', [], '')
  return data as RegisteredClient
}

export async function disableOidcClient(clientId: string): Promise<void> {
  await api.post('/api/v1/oidc/clients/{clientId}/disable', { path: { clientId } })
}
