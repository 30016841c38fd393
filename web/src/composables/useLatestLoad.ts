// A page's load that can start again before the last one has answered (a refresh, another
// filter, a timer): only the latest call's answer is applied, so a late answer of an earlier
// load never overwrites a newer one, nor its error, nor its `loading`.
import { ref } from 'vue'

export interface LatestLoadOptions {
  /** Clear the error as each load starts; by default it stays until a load succeeds. */
  clearErrorOnStart?: boolean
}

/**
 * `fetch` asks; `apply` puts the latest call's answer on the page. What either throws becomes
 * `error` (the page keeps what it had). `loading` starts true: a page shows its loading state
 * until its first load, which it starts at once, has settled.
 */
export function useLatestLoad<T>(fetch: () => Promise<T>, apply: (got: T) => void, options: LatestLoadOptions = {}) {
  const loading = ref(true)
  const error = ref<unknown>(null)
  let generation = 0

  /** True when this call was still the latest when it settled (answered or failed). */
  async function load(): Promise<boolean> {
    const mine = ++generation
    loading.value = true
    if (options.clearErrorOnStart) error.value = null
    try {
      const got = await fetch()
      if (mine !== generation) return false
      apply(got)
      error.value = null
    } catch (e) {
      if (mine !== generation) return false
      error.value = e
    } finally {
      if (mine === generation) loading.value = false
    }
    return true
  }

  /** Drops the answer of any load still on its way (the page is going away). */
  function drop(): void {
    generation++
  }

  return { loading, error, load, drop }
}
