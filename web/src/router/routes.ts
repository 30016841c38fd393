// Every page of the portal. Pages load lazily (one chunk each) so the sign-in page
// stays small; `meta.permission` decides both the menu and access (the server checks
// again on every request).
import type { RouteRecordRaw } from 'vue-router'
import { HomeFilled } from '@element-plus/icons-vue'
import { publicRoutes } from '@/public/routes'

/** The pages inside the main layout; the side menu is built from these. */
export const layoutChildren: RouteRecordRaw[] = [
  {
    path: '',
    name: 'home',
    component: () => import('@/views/HomeView.vue'),
    meta: { title: 'menu.home', system: 'home', icon: HomeFilled, affix: true },
  },
  {
    path: 'org/tree',
    name: 'org-tree',
    component: () => import('@/views/org/OrgTreeView.vue'),
    meta: { title: 'menu.orgTree', system: 'org', permission: 'org.view' },
  },
  {
    path: 'org/division-changes',
    name: 'division-changes',
    component: () => import('@/views/org/DivisionChangeView.vue'),
    meta: { title: 'menu.divisionChanges', system: 'org', permission: 'org.view' },
  },
  // org-pages (institution page, school create and edit)
  {
    path: 'org/new',
    name: 'org-new',
    component: () => import('@/views/org/OrgFormView.vue'),
    meta: { title: 'orgForm.newTitleShort', permission: 'org.create' },
  },
  {
    path: 'org/:code',
    name: 'org-detail',
    component: () => import('@/views/org/OrgDetailView.vue'),
    meta: { title: 'orgPage.title', permission: 'org.view' },
  },
  {
    path: 'org/:code/edit',
    name: 'org-edit',
    component: () => import('@/views/org/OrgFormView.vue'),
    meta: { title: 'orgForm.editTitleShort', permission: 'org.update' },
  },
  // end org-pages
  {
    path: 'student/list',
    name: 'student-list',
    component: () => import('@/views/student/StudentListView.vue'),
    meta: { title: 'menu.studentList', system: 'student', permission: 'student.view', personal: true },
  },
  {
    path: 'registry/problems',
    name: 'problem-records',
    component: () => import('@/views/quality/ProblemRecordsView.vue'),
    meta: { title: 'menu.problemRecords', system: 'student', permission: 'student.view', personal: true },
  },
  {
    path: 'import/students',
    name: 'import-students',
    component: () => import('@/views/import/ImportView.vue'),
    meta: { title: 'menu.importStudents', system: 'student', permission: 'import.create', personal: true },
  },
  // student-pages (registration, detail, correction)
  {
    path: 'student/new',
    name: 'student-new',
    component: () => import('@/views/student/StudentFormView.vue'),
    meta: { title: 'studentForm.newTitle', system: 'student', permission: 'student.create', personal: true },
  },
  {
    path: 'student/:studentNumber',
    name: 'student-detail',
    component: () => import('@/views/student/StudentDetailView.vue'),
    meta: { title: 'studentDetail.title', permission: 'student.view', personal: true },
  },
  {
    path: 'student/:studentNumber/edit',
    name: 'student-edit',
    component: () => import('@/views/student/StudentFormView.vue'),
    meta: { title: 'studentForm.editTitle', permission: 'student.update', personal: true },
  },
  // end student-pages
  // case-pages (approval inbox, a case, starting a transfer)
  {
    path: 'case/inbox',
    name: 'case-inbox',
    component: () => import('@/views/case/CaseInboxView.vue'),
    meta: { title: 'menu.caseInbox', system: 'case', permission: ['student.approve', 'student.create', 'account.approve_privileged', 'stats.approve'] },
  },
  {
    path: 'transfer/new',
    name: 'transfer-new',
    component: () => import('@/views/transfer/TransferNewView.vue'),
    meta: { title: 'menu.transferNew', system: 'case', permission: 'student.create', personal: true },
  },
  {
    path: 'enrolment/next-stage',
    name: 'next-stage',
    component: () => import('@/views/enrolment/NextStageView.vue'),
    meta: { title: 'menu.nextStage', system: 'student', permission: 'student.create', personal: true },
  },
  {
    path: 'enrolment/graduation',
    name: 'graduation',
    component: () => import('@/views/enrolment/GraduationView.vue'),
    meta: { title: 'menu.graduation', system: 'student', permission: 'student.update' },
  },
  {
    path: 'enrolment/classes',
    name: 'class-assignment',
    component: () => import('@/views/enrolment/ClassAssignmentView.vue'),
    meta: { title: 'menu.classes', system: 'student', permission: 'student.update', personal: true },
  },
  {
    path: 'enrolment/promotion',
    name: 'promotion',
    component: () => import('@/views/enrolment/PromotionView.vue'),
    meta: { title: 'menu.promotion', system: 'student', permission: 'student.approve', levels: ['national', 'province'] },
  },
  {
    path: 'case/:id',
    name: 'case-detail',
    component: () => import('@/views/case/CaseDetailView.vue'),
    meta: { title: 'cases.title', permission: ['student.approve', 'student.create', 'account.approve_privileged', 'account.administer', 'stats.approve', 'stats.submit'], personal: true },
  },
  // end case-pages
  {
    path: 'stats/students',
    name: 'stats-students',
    component: () => import('@/views/stats/StatsView.vue'),
    meta: { title: 'menu.statsStudents', system: 'stats', permission: 'stats.view' },
  },
  {
    path: 'stats/forms',
    name: 'stats-forms',
    component: () => import('@/views/stats/FormsView.vue'),
    meta: { title: 'menu.statsForms', system: 'stats', permission: 'stats.view' },
  },
  {
    path: 'stats/submissions',
    name: 'stats-submissions',
    component: () => import('@/views/stats/SubmissionView.vue'),
    meta: { title: 'menu.statsSubmissions', system: 'stats', permission: 'stats.view' },
  },
  {
    path: 'stats/analysis',
    name: 'stats-analysis',
    component: () => import('@/views/stats/AnalysisView.vue'),
    meta: { title: 'menu.statsAnalysis', system: 'stats', permission: 'stats.view' },
  },
  {
    path: 'account/list',
    name: 'account-list',
    component: () => import('@/views/account/AccountListView.vue'),
    meta: { title: 'menu.accountList', system: 'account', permission: 'account.administer', personal: true },
  },
  {
    path: 'account/oidc-clients',
    name: 'oidc-clients',
    component: () => import('@/views/oidc/OidcClientListView.vue'),
    meta: { title: 'menu.oidcClients', system: 'account', permission: 'account.administer' },
  },
  {
    path: 'audit/log',
    name: 'audit-log',
    component: () => import('@/views/audit/AuditLogView.vue'),
    meta: { title: 'menu.auditLog', system: 'audit', permission: 'audit.view', personal: true },
  },
  {
    path: 'ops/status',
    name: 'ops-status',
    component: () => import('@/views/ops/OpsView.vue'),
    meta: { title: 'menu.opsStatus', system: 'ops', permission: 'system.administer' },
  },
  {
    path: 'registry/conflicts',
    name: 'national-conflicts',
    component: () => import('@/views/exchange/ConflictDecisionView.vue'),
    meta: { title: 'menu.conflictDecision', system: 'student', permission: 'student.approve', levels: ['national'], personal: true },
  },
  {
    path: 'ops/exchange',
    name: 'ops-exchange',
    component: () => import('@/views/ops/ExchangeView.vue'),
    meta: { title: 'menu.opsExchange', system: 'ops', permission: 'system.administer' },
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
  // The public portal (/public): its own layout, no sign-in.
  ...publicRoutes,
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/NotFoundView.vue'),
    meta: { title: 'page.notFound', public: true, bare: true },
  },
]
