// The signed-in caller, kept in this browser tab only (sessionStorage), and what each role may open.
import { reactive } from 'vue'

const KEY = 'dossier.session'

export const session = reactive({ token: '', me: null, notice: '' })

try {
  const saved = JSON.parse(sessionStorage.getItem(KEY) || 'null')
  if (saved && saved.token) Object.assign(session, { token: saved.token, me: saved.me })
} catch { /* a damaged entry is a signed-out tab */ }

export function signIn(token, me) {
  session.token = token
  session.me = me
  session.notice = ''
  sessionStorage.setItem(KEY, JSON.stringify({ token, me }))
}

export function signOut(notice = '') {
  session.token = ''
  session.me = null
  session.notice = notice
  sessionStorage.removeItem(KEY)
}

export const ROLE_ZH = {
  ORG_ADMIN: '组织部管理员',
  DISCIPLINE_INSPECTOR: '纪检监察',
  UNIT_HEAD: '单位负责人',
  CADRE: '干部本人',
  AUDITOR: '审计',
  ANALYST: '分析人员',
  SYSTEM: '系统',
}

// Which pages each role may use: the same sets the API's guards enforce (crates/api/src/auth.rs).
const ALL = ['ORG_ADMIN', 'DISCIPLINE_INSPECTOR', 'UNIT_HEAD', 'CADRE', 'AUDITOR', 'ANALYST']
export const PAGES = [
  { name: 'home', path: '/', title: '工作台', icon: 'HomeFilled', roles: ['ORG_ADMIN', 'DISCIPLINE_INSPECTOR', 'UNIT_HEAD', 'AUDITOR'] },
  { name: 'mine', path: '/mine', title: '我的档案', icon: 'User', roles: ['CADRE'] },
  { name: 'roster', path: '/cadres', title: '干部名册', icon: 'List', roles: ['ORG_ADMIN', 'DISCIPLINE_INSPECTOR', 'UNIT_HEAD', 'AUDITOR'] },
  { name: 'dashboards', path: '/dashboards', title: '数据看板', icon: 'DataLine', roles: ['ORG_ADMIN', 'DISCIPLINE_INSPECTOR', 'AUDITOR', 'ANALYST'] },
  { name: 'units', path: '/units', title: '单位', icon: 'OfficeBuilding', roles: ['ORG_ADMIN', 'DISCIPLINE_INSPECTOR', 'UNIT_HEAD', 'AUDITOR'] },
  { name: 'supervision', path: '/supervision', title: '监督', icon: 'View', roles: ['ORG_ADMIN', 'DISCIPLINE_INSPECTOR'] },
  { name: 'care', path: '/care', title: '关爱', icon: 'Sunny', roles: ['ORG_ADMIN', 'DISCIPLINE_INSPECTOR', 'AUDITOR', 'CADRE'] },
  { name: 'audit', path: '/audit', title: '审计', icon: 'Stamp', roles: ['ORG_ADMIN', 'DISCIPLINE_INSPECTOR', 'AUDITOR'] },
  { name: 'forms', path: '/forms', title: '日常办理', icon: 'EditPen', roles: ['ORG_ADMIN', 'DISCIPLINE_INSPECTOR', 'CADRE'] },
  { name: 'generic', path: '/commands', title: '全部命令', icon: 'Operation', roles: ['ORG_ADMIN', 'DISCIPLINE_INSPECTOR', 'UNIT_HEAD', 'CADRE'] },
]
// Pages reached from another page, not from the menu.
export const INNER = [
  { name: 'profile', roles: ['ORG_ADMIN', 'DISCIPLINE_INSPECTOR', 'UNIT_HEAD', 'CADRE', 'AUDITOR'] },
  { name: 'print', roles: ['ORG_ADMIN', 'DISCIPLINE_INSPECTOR', 'UNIT_HEAD', 'CADRE', 'AUDITOR'] },
]

export function may(name, role = session.me?.role) {
  const page = PAGES.find((p) => p.name === name) || INNER.find((p) => p.name === name)
  return !!page && !!role && page.roles.includes(role)
}

export function homeOf(role) {
  if (role === 'CADRE') return '/mine'
  if (role === 'ANALYST') return '/dashboards'
  return '/'
}

export const roles = ALL
export const isSupervisor = () => ['ORG_ADMIN', 'DISCIPLINE_INSPECTOR'].includes(session.me?.role)
export const isOrg = () => session.me?.role === 'ORG_ADMIN'
