// Server-side keyset paging as the API does it: each page answers `next` (opaque), sent
// back as `after`. Keeps the cursors seen so "previous" works without offsets.
import { ref, shallowRef } from 'vue'

export interface Page<T> {
  items: T[]
  next: string | null
}

export function useKeysetPager<T>(fetchPage: (after: string | undefined) => Promise<Page<T>>) {
  const items = shallowRef<T[]>([])
  const loading = ref(false)
  const error = ref<unknown>(null)
  const page = ref(1)
  const hasNext = ref(false)
  /** cursors[i] is the `after` of page i + 1 (undefined for the first). */
  let cursors: (string | undefined)[] = [undefined]
  let nextCursor: string | null = null
  let generation = 0

  async function load(index: number): Promise<void> {
    const mine = ++generation
    loading.value = true
    error.value = null
    try {
      const result = await fetchPage(cursors[index])
      if (mine !== generation) return
      items.value = result.items
      nextCursor = result.next
      hasNext.value = result.next !== null
      page.value = index + 1
    } catch (e) {
      if (mine !== generation) return
      error.value = e
      items.value = []
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  /** From the first page (after a filter change). */
  function reload(): Promise<void> {
    cursors = [undefined]
    nextCursor = null
    return load(0)
  }
  function next(): Promise<void> {
    if (nextCursor === null) return Promise.resolve()
    cursors[page.value] = nextCursor
    return load(page.value)
  }
  function prev(): Promise<void> {
    return page.value > 1 ? load(page.value - 2) : Promise.resolve()
  }
  function retry(): Promise<void> {
    return load(page.value - 1)
  }
  /** Clears the list without asking the server (e.g. no filter given yet). */
  function reset(): void {
    generation++
    items.value = []
    loading.value = false
    error.value = null
    hasNext.value = false
    page.value = 1
    cursors = [undefined]
    nextCursor = null
  }

  return { items, loading, error, page, hasNext, reload, next, prev, retry, reset }
}
