// The public portal's pages (/public/...): their own light layout, no sign-in, and only
// the public API. Added to the router in src/router/routes.ts; the guard lets them
// through without loading the session (isPublicPortal).
import type { RouteLocationNormalized, RouteRecordRaw } from 'vue-router'

export const kPublicPrefix = '/public'

export const publicRoutes: RouteRecordRaw[] = [
  {
    path: kPublicPrefix,
    component: () => import('./PublicLayout.vue'),
    meta: { public: true, bare: true },
    children: [
      { path: '', name: 'public', redirect: { name: 'public-schools' } },
      {
        path: 'schools',
        name: 'public-schools',
        component: () => import('./views/SchoolSearchView.vue'),
        meta: { title: 'pub.title.schools', public: true, bare: true },
      },
      {
        path: 'schools/:code',
        name: 'public-school',
        component: () => import('./views/SchoolDetailView.vue'),
        meta: { title: 'pub.title.school', public: true, bare: true },
      },
      {
        path: 'stats',
        name: 'public-stats',
        component: () => import('./views/PublicStatsView.vue'),
        meta: { title: 'pub.title.stats', public: true, bare: true },
      },
      {
        path: ':rest(.*)*',
        name: 'public-not-found',
        component: () => import('./views/PublicNotFoundView.vue'),
        meta: { title: 'page.notFound', public: true, bare: true },
      },
    ],
  },
]

export function isPublicPortal(route: RouteLocationNormalized): boolean {
  return route.path === kPublicPrefix || route.path.startsWith(kPublicPrefix + '/')
}
