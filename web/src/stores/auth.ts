// The signed-in caller: principal, CSRF token, and the names of the institutions of
// its grants. The server stays the authority; this only decides what to show.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as auth from '@/api/auth'
import type { RouteMeta } from 'vue-router'
import type { Me, Principal } from '@/api/auth'
import { ApiError } from '@/api/errors'

// A hint (not a credential) that this browser holds a session cookie: the HttpOnly cookie
// is invisible to scripts, and asking /auth/me without one would log a 401 in the console.
const kSessionHint = 'nemis.session'
function hint(on: boolean): void {
  try {
    if (on) localStorage.setItem(kSessionHint, '1')
    else localStorage.removeItem(kSessionHint)
  } catch {
    /* storage unavailable: every load asks the server */
  }
}
function hinted(): boolean {
  try {
    return localStorage.getItem(kSessionHint) !== null
  } catch {
    return true
  }
}

// The grant the user works under in this tab (X-Acting-Grant), "role@org"; none: all.
const kActing = 'nemis.acting'
function storedActing(): string | null {
  try {
    return sessionStorage.getItem(kActing)
  } catch {
    return null
  }
}

export const useAuthStore = defineStore('auth', () => {
  const principal = ref<Principal | null>(null)
  const csrfToken = ref<string | null>(null)
  /** Institution code → name, for the header and Home (needs org.view). */
  const orgNames = ref<Record<string, string>>({})
  /** True once the session has been checked (signed in or not) since the page loaded. */
  const checked = ref(false)
  /** Why a session this browser held has ended (the API's 401 code), for the login page. */
  const endedReason = ref<string | null>(null)

  const acting = ref<string | null>(storedActing())
  const grantKey = (g: { role: string; org: string }) => `${g.role}@${g.org}`
  /** The grant worked under, if the user chose one it still holds. */
  const actingGrant = computed(() => principal.value?.grants.find((g) => grantKey(g) === acting.value) ?? null)
  const actingKey = computed(() => (actingGrant.value ? grantKey(actingGrant.value) : null))
  /** The grants in force: the chosen one, or all (the server applies the same rule). */
  const activeGrants = computed(() => (actingGrant.value ? [actingGrant.value] : principal.value?.grants ?? []))

  const signedIn = computed(() => principal.value !== null)
  const permissions = computed(
    () => new Set(actingGrant.value ? actingGrant.value.permissions : principal.value?.permissions ?? []),
  )

  /** Works under one grant (null: all of them) in this tab from now on. */
  function actAs(key: string | null): void {
    acting.value = key
    try {
      if (key) sessionStorage.setItem(kActing, key)
      else sessionStorage.removeItem(kActing)
    } catch {
      /* storage unavailable: the choice lasts until the page reloads */
    }
  }
  const mustChangePassword = computed(() => principal.value?.mustChangePassword === true)
  const mustEnrolMfa = computed(() => principal.value?.mfaEnrolmentRequired === true)
  /** Blocked from everything but /api/v1/auth/* until the password or MFA is sorted. */
  const gated = computed(() => mustChangePassword.value || mustEnrolMfa.value)

  function has(permission: string | readonly string[] | undefined): boolean {
    if (!permission) return true
    const wanted = typeof permission === 'string' ? [permission] : permission
    return wanted.some((p) => permissions.value.has(p))
  }

  /** Whether a page of `meta` opens for the caller: its permission held, at one of its levels if it names any. */
  function mayOpen(meta: RouteMeta): boolean {
    if (!has(meta.permission)) return false
    const levels = meta.levels
    if (!levels) return true
    const wanted = meta.permission === undefined ? [] : typeof meta.permission === 'string' ? [meta.permission] : meta.permission
    return activeGrants.value.some((g) => levels.includes(g.level) && (!wanted.length || wanted.some((p) => g.permissions.includes(p))))
  }

  function adopt(p: Me): void {
    const { csrfToken: token, ...rest } = p
    principal.value = rest
    if (token) csrfToken.value = token
    checked.value = true
    hint(true)
  }

  function clear(): void {
    actAs(null)
    principal.value = null
    csrfToken.value = null
    orgNames.value = {}
    checked.value = true
    hint(false)
  }

  /** Loads the caller from the session cookie; false when there is no valid session. */
  async function refresh(): Promise<boolean> {
    if (!principal.value && !hinted()) {
      clear()
      return false
    }
    try {
      adopt(await auth.me())
      return true
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        endedReason.value = e.code
        clear()
        return false
      }
      throw e
    }
  }

  async function loadOrgNames(): Promise<void> {
    const p = principal.value
    if (!p || gated.value || !has('org.view')) return
    const codes = new Set([p.org, ...p.grants.map((g) => g.org)])
    await Promise.all(
      [...codes].filter((c) => !(c in orgNames.value)).map(async (code) => {
        try {
          // Read first: a copy of orgNames taken before the await would drop the names that
          // the other lookups add meanwhile.
          const name = (await auth.institution(code)).name
          orgNames.value = { ...orgNames.value, [code]: name }
        } catch {
          // Outside the org.view scope (e.g. a grant elsewhere): the code is shown instead.
        }
      }),
    )
  }

  function takeEndedReason(): string | undefined {
    const reason = endedReason.value ?? undefined
    endedReason.value = null
    return reason
  }

  function orgLabel(code: string): string {
    const name = orgNames.value[code]
    return name ? `${name}（${code}）` : code
  }

  async function logout(): Promise<void> {
    try {
      await auth.logout()
    } finally {
      clear()
    }
  }

  return {
    principal, csrfToken, orgNames, checked, signedIn, permissions, mustChangePassword,
    mustEnrolMfa, gated, has, mayOpen, actingGrant, actingKey, activeGrants, actAs, adopt, clear, refresh, loadOrgNames, orgLabel, logout, takeEndedReason,
  }
})
