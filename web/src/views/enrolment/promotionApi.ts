// 年度升级: the province previews and runs the annual promotion of a subtree
// (POST /api/v1/registry/promotions), and polls a run (GET /api/v1/registry/promotions/{id}).
import type { components, operations } from '@/api/schema'
import { api } from '@/api/http'

export type PromotionBody = NonNullable<operations['startPromotion']['requestBody']>['content']['application/json']
export type PromotionReport = components['schemas']['PromotionReport']
export type PromotionRun = components['schemas']['PromotionRun']

export async function previewPromotion(body: Omit<PromotionBody, 'dryRun'>): Promise<PromotionReport> {
  return (await api.post('/api/v1/registry/promotions', { body: { ...body, dryRun: true } })).data as PromotionReport
}

export async function startPromotion(body: Omit<PromotionBody, 'dryRun'>): Promise<PromotionRun> {
  // 202: the run (OkBody types the 200 answer, a dry run's report)
  return (await api.post('/api/v1/registry/promotions', { body: { ...body, dryRun: false } })).data as unknown as PromotionRun
}

export async function getPromotion(id: number): Promise<PromotionRun> {
  return (await api.get('/api/v1/registry/promotions/{id}', { path: { id } })).data
}
