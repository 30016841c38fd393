// vue-i18n in composition mode: zh-CN by default, English on request (kept in
// localStorage). Messages are compiled by the JIT (AST) path, which needs no eval and
// so runs under a CSP without 'unsafe-eval'.
import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN'
import en from './locales/en'
// The public portal's texts (key `pub`), kept in their own files.
import publicZhCN from './locales/public.zh-CN'
import publicEn from './locales/public.en'

export type MessageSchema = typeof zhCN
export type Locale = 'zh-CN' | 'en'
export const kLocales: { value: Locale; label: string }[] = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en', label: 'English' },
]
const kStorageKey = 'nemis.locale'

function initialLocale(): Locale {
  try {
    return localStorage.getItem(kStorageKey) === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': { ...zhCN, ...publicZhCN }, en: { ...en, ...publicEn } },
  missingWarn: false,
  fallbackWarn: false,
})

/** Called after a locale change so the document title follows (set by the router). */
let onLocaleChange: () => void = () => {}
export function setLocaleListener(listener: () => void): void {
  onLocaleChange = listener
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  onLocaleChange()
  try {
    localStorage.setItem(kStorageKey, locale)
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

/** i18n key of a permission name (vue-i18n paths cannot contain dots). */
export function permissionKey(permission: string): string {
  return 'permission.' + permission.replace(/\./g, '_')
}
