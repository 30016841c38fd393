// How a finding reads on the page: the kind's Chinese name (the server's kindName when the
// portal does not know the kind), its short column label, the state, the day it was first
// found (in China's time zone), and a decision's name (不是重复, 佐证, ...).
import { i18n } from '@/i18n'
import type { ProblemKind } from './api'

const t = (key: string, values?: Record<string, unknown>) =>
  (i18n.global.t as (k: string, v?: Record<string, unknown>) => string)(key, values ?? {})
const te = (key: string) => i18n.global.te(key) || i18n.global.te(key, 'zh-CN')

export function kindLabel(kind: ProblemKind | string, serverName = ''): string {
  return te('problems.kind.' + kind) ? t('problems.kind.' + kind) : serverName || kind
}

export function kindShort(kind: ProblemKind | string, serverName = ''): string {
  return te('problems.kindShort.' + kind) ? t('problems.kindShort.' + kind) : kindLabel(kind, serverName)
}

export function stateLabel(state: string): string {
  return te('problems.state.' + state) ? t('problems.state.' + state) : state
}

export function resolutionLabel(kind: string): string {
  return te('problems.resolution.' + kind) ? t('problems.resolution.' + kind) : kind
}

/** The business date (Asia/Shanghai, YYYY-MM-DD) of a UTC timestamp; the text itself if unreadable. */
export function chinaDate(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d)
}
