// /api/v1/auth: sign-in (password, then a TOTP or recovery code when bound), the
// caller's profile, logout, password change and authenticator enrolment.
import type { components } from './schema'
import { api } from './http'

export type Principal = components['schemas']['Principal']
export type Grant = components['schemas']['Grant']
export type SignedIn = Principal & { csrfToken: string }
export type Me = Principal & { csrfToken?: string }
export type TotpEnrolment = components['schemas']['TotpEnrolment']
export type Institution = components['schemas']['Institution']

export async function login(login: string, password: string, otp?: string): Promise<SignedIn> {
  const body: components['schemas']['LoginRequest'] = { login, password }
  if (otp) body.otp = otp
  return (await api.post('/api/v1/auth/login', { body })).data
}

export async function me(): Promise<Me> {
  return (await api.get('/api/v1/auth/me')).data
}

export async function logout(): Promise<void> {
  await api.post('/api/v1/auth/logout')
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await api.post('/api/v1/auth/password', { body: { currentPassword, newPassword } })
}

export async function beginTotp(otp?: string): Promise<TotpEnrolment> {
  return (await api.post('/api/v1/auth/mfa/totp', { body: otp ? { otp } : {} })).data
}

export async function confirmTotp(code: string): Promise<string[]> {
  return (await api.post('/api/v1/auth/mfa/totp/confirm', { body: { code } })).data.recoveryCodes
}

export async function institution(code: string): Promise<Institution> {
  return (await api.get('/api/v1/orgs/{code}', { path: { code } })).data
}
