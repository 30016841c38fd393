// The tags view: the pages opened in this browser tab, in the order they were opened.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { RouteLocationNormalizedLoaded } from 'vue-router'

export interface Tag {
  name: string
  fullPath: string
  title: string
  affix: boolean
}

export const useTagsStore = defineStore('tags', () => {
  const tags = ref<Tag[]>([])

  function open(route: RouteLocationNormalizedLoaded): void {
    if (!route.name || route.meta.public || route.meta.bare) return
    const name = String(route.name)
    const existing = tags.value.find((t) => t.name === name)
    if (existing) {
      existing.fullPath = route.fullPath
      return
    }
    tags.value.push({ name, fullPath: route.fullPath, title: route.meta.title ?? name, affix: route.meta.affix === true })
  }

  /** Closes a tag; returns the path to show next when it was the current one. */
  function close(name: string): string | null {
    const i = tags.value.findIndex((t) => t.name === name)
    if (i < 0 || tags.value[i]?.affix) return null
    tags.value.splice(i, 1)
    const next = tags.value[Math.min(i, tags.value.length - 1)]
    return next ? next.fullPath : '/'
  }

  function closeOthers(name: string): void {
    tags.value = tags.value.filter((t) => t.affix || t.name === name)
  }

  function closeAll(): void {
    tags.value = tags.value.filter((t) => t.affix)
  }

  function reset(): void {
    tags.value = []
  }

  return { tags, open, close, closeOthers, closeAll, reset }
})
