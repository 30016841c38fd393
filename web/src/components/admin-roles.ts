// The node's built-in roles as the account screens offer them (src/identity/builtin_roles.cpp:
// name, the institution levels it may be granted at, administrator or not). The API has
// no route that lists roles, so this copy exists; the server validates every grant
// (unknown_role, level_not_allowed, separation_of_duties) whatever the portal offers.
export type OrgLevel = 'national' | 'province' | 'city' | 'county' | 'school'

export interface RoleInfo {
  name: string
  levels: readonly OrgLevel[]
  /** One of the three administrators (三员分立): granted alone, never with another role. */
  admin: boolean
}

const kAll: readonly OrgLevel[] = ['national', 'province', 'city', 'county', 'school']
const kTop: readonly OrgLevel[] = ['national', 'province']

export const kRoles: readonly RoleInfo[] = [
  { name: 'school_registrar', levels: ['school'], admin: false },
  { name: 'school_head', levels: ['school'], admin: false },
  { name: 'county_registrar', levels: ['county'], admin: false },
  { name: 'city_registrar', levels: ['city'], admin: false },
  { name: 'province_registrar', levels: ['province'], admin: false },
  { name: 'national_registrar', levels: ['national'], admin: false },
  { name: 'statistician', levels: kAll, admin: false },
  { name: 'system_admin', levels: kTop, admin: true },
  { name: 'security_admin', levels: kTop, admin: true },
  { name: 'audit_admin', levels: kTop, admin: true },
]

export function findRole(name: string): RoleInfo | undefined {
  return kRoles.find((r) => r.name === name)
}

/** `role@org` items of an AccountSummary's comma-separated `grants`. */
export function parseGrants(grants: string): { role: string; org: string }[] {
  return grants
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean)
    .map((g) => {
      const at = g.lastIndexOf('@')
      return at > 0 ? { role: g.slice(0, at), org: g.slice(at + 1) } : { role: g, org: '' }
    })
}

/** Roles that may join the account's existing ones (an administrator role stands alone). */
export function grantableWith(existing: readonly string[]): RoleInfo[] {
  if (existing.some((r) => findRole(r)?.admin)) return kRoles.filter((r) => existing.includes(r.name))
  if (existing.length > 0) return kRoles.filter((r) => !r.admin)
  return [...kRoles]
}
