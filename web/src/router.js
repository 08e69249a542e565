// Routes, and the guard that sends a signed-out tab to 登录 and a role to 无权访问 for pages it may not use.
import { createRouter, createWebHistory } from 'vue-router'
import { session, may, homeOf } from './session.js'

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { open: true } },
  { path: '/', name: 'home', component: () => import('./views/Home.vue') },
  { path: '/mine', name: 'mine', component: () => import('./views/Profile.vue') },
  { path: '/cadres', name: 'roster', component: () => import('./views/Roster.vue') },
  { path: '/cadres/:id', name: 'profile', component: () => import('./views/Profile.vue') },
  { path: '/cadres/:id/print', name: 'print', component: () => import('./views/PrintForm.vue') },
  { path: '/dashboards', name: 'dashboards', component: () => import('./views/Dashboards.vue') },
  { path: '/units', name: 'units', component: () => import('./views/Units.vue') },
  { path: '/supervision', name: 'supervision', component: () => import('./views/Supervision.vue') },
  { path: '/care', name: 'care', component: () => import('./views/Care.vue') },
  { path: '/audit', name: 'audit', component: () => import('./views/Audit.vue') },
  { path: '/forms', name: 'forms', component: () => import('./views/Forms.vue') },
  { path: '/commands', name: 'generic', component: () => import('./views/Generic.vue') },
  { path: '/forbidden', name: 'forbidden', component: () => import('./views/Forbidden.vue'), meta: { open: true } },
  { path: '/:rest(.*)*', name: 'missing', component: () => import('./views/Forbidden.vue'), meta: { open: true, missing: true } },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach((to) => {
  if (to.meta.open) return true
  if (!session.token || !session.me) return { name: 'login', query: { next: to.fullPath } }
  if (to.name === 'home' && !may('home')) return homeOf(session.me.role)
  if (!may(to.name)) return { name: 'forbidden', query: { from: to.fullPath } }
  return true
})
