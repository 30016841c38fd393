// The server is the authority on access: when it refuses a page's data with 403
// `forbidden` (a grant revoked since sign-in, or a menu the portal showed in error),
// the page gives way to the forbidden page, as when it is opened by URL without the
// permission (router guard).
import { watch, type Ref } from 'vue'
import { useRouter } from 'vue-router'
import { ApiError } from '@/api/errors'

export function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.code === 'forbidden'
}

/** Watches a page's load error; a 403 `forbidden` replaces the page with /forbidden. */
export function useForbiddenRedirect(error: Ref<unknown>): void {
  const router = useRouter()
  watch(error, (e) => {
    if (isForbidden(e)) void router.replace({ name: 'forbidden' })
  })
}
