// /api/v1/orgs: the institution tree within the caller's org.view scope.
import type { components } from './schema'
import { api } from './http'

export type Institution = components['schemas']['Institution']
export type OrgLevel = components['schemas']['OrgLevel']

export async function getOrg(code: string): Promise<Institution> {
  return (await api.get('/api/v1/orgs/{code}', { path: { code } })).data
}

/** All direct children (follows `next`, at most `max` of them). */
export async function childrenOf(code: string, max = 5000): Promise<Institution[]> {
  const out: Institution[] = []
  let after: string | undefined
  do {
    const query: { limit: number; after?: string } = { limit: 500 }
    if (after) query.after = after
    const page = (await api.get('/api/v1/orgs/{code}/children', { path: { code }, query })).data
    out.push(...page.items)
    after = page.next ?? undefined
  } while (after && out.length < max)
  return out
}

export async function searchOrgs(q: string, limit = 20): Promise<Institution[]> {
  return (await api.get('/api/v1/orgs', { query: { q, limit } })).data.items
}
