// v-perm="'student.create'" (or an array: any one suffices) hides an element the
// caller's permissions do not allow. Hiding is a courtesy: the server decides. The
// element stays in the DOM (hidden) because Vue may still use it as an anchor.
import type { Directive } from 'vue'
import { useAuthStore } from '@/stores/auth'

export type PermValue = string | readonly string[]

function apply(el: HTMLElement, value: PermValue): void {
  const allowed = useAuthStore().has(value)
  el.hidden = !allowed
  if (allowed) el.style.removeProperty('display')
  else el.style.setProperty('display', 'none', 'important')
}

export const vPerm: Directive<HTMLElement, PermValue> = {
  mounted: (el, binding) => apply(el, binding.value),
  updated: (el, binding) => apply(el, binding.value),
}

declare module 'vue' {
  interface ComponentCustomProperties {
    vPerm: typeof vPerm
  }
}
