// The side menu: the layout's pages the caller may open, grouped by system in a fixed
// order. Home stands alone; a system with one page still shows as a group, as staff
// expect from other portals.
import type { Component } from 'vue'
import type { RouteMeta, RouteRecordRaw } from 'vue-router'
import { DataAnalysis, Document, HomeFilled, Monitor, OfficeBuilding, Stamp, Upload, User, UserFilled } from '@element-plus/icons-vue'
import { layoutChildren } from '@/router/routes'

export interface MenuItem {
  name: string
  path: string
  title: string
  icon?: Component
}
export interface MenuGroup {
  system: string
  title: string
  icon: Component
  items: MenuItem[]
}

export const kSystems: { system: string; icon: Component }[] = [
  { system: 'home', icon: HomeFilled },
  { system: 'org', icon: OfficeBuilding },
  { system: 'student', icon: User },
  { system: 'case', icon: Stamp },
  { system: 'stats', icon: DataAnalysis },
  { system: 'import', icon: Upload },
  { system: 'account', icon: UserFilled },
  { system: 'audit', icon: Document },
  { system: 'ops', icon: Monitor },
]

function pathOf(route: RouteRecordRaw): string {
  return '/' + route.path
}

export function buildMenu(mayOpen: (meta: RouteMeta) => boolean): MenuGroup[] {
  const groups: MenuGroup[] = []
  for (const { system, icon } of kSystems) {
    const items = layoutChildren
      .filter((r) => r.meta?.system === system && typeof r.name === 'string' && mayOpen(r.meta))
      .map((r) => {
        const item: MenuItem = { name: String(r.name), path: pathOf(r), title: r.meta?.title ?? String(r.name) }
        if (r.meta?.icon) item.icon = r.meta.icon
        return item
      })
    if (items.length) groups.push({ system, title: `system.${system}`, icon, items })
  }
  return groups
}
