// Every page of the portal. Pages load lazily (one chunk each) so the sign-in page
// stays small; `meta.permission` decides both the menu and access (the server checks
// again on every request).
import type { RouteRecordRaw } from 'vue-router'
import { HomeFilled } from '@element-plus/icons-vue'

/** The pages inside the main layout; the side menu is built from these. */
export const layoutChildren: RouteRecordRaw[] = [
  {
    path: '',
    name: 'home',
    component: () => import('@/views/HomeView.vue'),
    meta: { title: 'menu.home', system: 'home', icon: HomeFilled, affix: true },
  },
  {
    path: 'forbidden',
    name: 'forbidden',
    component: () => import('@/views/ForbiddenView.vue'),
    meta: { title: 'page.forbidden' },
  },
]

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/LoginView.vue'),
    meta: { title: 'login.title', public: true, bare: true },
  },
  {
    path: '/account/password',
    name: 'change-password',
    component: () => import('@/views/ChangePasswordView.vue'),
    meta: { title: 'password.title', bare: true },
  },
  {
    path: '/account/mfa',
    name: 'mfa',
    component: () => import('@/views/MfaEnrolView.vue'),
    meta: { title: 'mfa.title', bare: true },
  },
  {
    path: '/',
    component: () => import('@/layouts/MainLayout.vue'),
    children: layoutChildren,
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/NotFoundView.vue'),
    meta: { title: 'page.notFound', public: true, bare: true },
  },
]
