// Navigation guard: load the session once, send the signed-out to the login page, the
// gated (password change, authenticator enrolment) to their step, and pages the
// caller's permissions do not cover to "forbidden".
import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { i18n, setLocaleListener } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import { useTagsStore } from '@/stores/tags'
import { routes } from './routes'
import { isPublicPortal } from '@/public/routes'

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

function loginRedirect(to: RouteLocationNormalized, reason?: string) {
  const query: Record<string, string> = {}
  if (to.fullPath !== '/' && to.name !== 'login') query.redirect = to.fullPath
  if (reason) query.reason = reason
  return { name: 'login', query }
}

router.beforeEach(async (to) => {
  // The public portal never asks for the session (it calls only /api/v1/public).
  if (isPublicPortal(to)) return true
  const auth = useAuthStore()
  if (!auth.checked) {
    try {
      await auth.refresh()
    } catch {
      // Server unreachable: public pages still open; the login page reports the failure.
      auth.clear()
    }
  }
  if (to.meta.public) {
    if (to.name === 'login' && auth.signedIn && !to.query.reason) return { path: '/' }
    return true
  }
  if (!auth.signedIn) return loginRedirect(to, auth.takeEndedReason())
  if (auth.mustChangePassword && to.name !== 'change-password') return { name: 'change-password' }
  if (!auth.mustChangePassword && auth.mustEnrolMfa && to.name !== 'mfa') return { name: 'mfa' }
  if (!auth.mayOpen(to.meta)) return { name: 'forbidden' }
  return true
})

function setTitle(to: RouteLocationNormalized): void {
  const t = i18n.global.t as (key: string) => string
  document.title = (to.meta.title ? t(to.meta.title) + ' - ' : '') + t('app.title')
}

router.afterEach((to) => {
  setTitle(to)
  useTagsStore().open(to)
})
setLocaleListener(() => setTitle(router.currentRoute.value))

/** After the server ended the session: back to the login page saying why. */
export function toLogin(reason: string): void {
  const current = router.currentRoute.value
  if (current.name === 'login') return
  useTagsStore().reset()
  void router.replace(loginRedirect(current, reason))
}
