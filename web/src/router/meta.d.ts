import 'vue-router'
import type { Component } from 'vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title (menu, tag, breadcrumb, document title). */
    title?: string
    /** Needed to open the page: one permission, or any one of several. */
    permission?: string | readonly string[]
    /** The levels at which a grant must hold `permission` (e.g. the annual promotion is the
     * province's); absent: any level. */
    levels?: readonly ('national' | 'province' | 'city' | 'county' | 'school')[]
    /** Reachable without signing in. */
    public?: boolean
    /** Shown without the main layout (sign-in and the forced account steps). */
    bare?: boolean
    /** Side-menu group (i18n key under `system.`); absent: not in the menu. */
    system?: string
    icon?: Component
    /** Pinned in the tags view. */
    affix?: boolean
    /** Shows personal data: the page carries the login watermark. */
    personal?: boolean
  }
}
