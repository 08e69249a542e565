// Browser-test support: `dossier serve --demo` on a free loopback port, Debian's Chromium through
// playwright-core, a page that refuses every request leaving 127.0.0.1 and records console errors.
import { spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, existsSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const SHOTS = process.env.SCREENSHOT_DIR || join(root, 'target', 'web-screenshots')
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.unref()
    s.on('error', fail)
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)) })
  })
}

/** The dossier binary: DOSSIER_BIN, else the debug or release build of this workspace. */
export function binary() {
  if (process.env.DOSSIER_BIN) return process.env.DOSSIER_BIN
  for (const p of ['target/debug/dossier', 'target/release/dossier']) if (existsSync(join(root, p))) return join(root, p)
  throw new Error('no dossier binary: run cargo build -p dossier first (or set DOSSIER_BIN)')
}

/** Start `serve --demo` on a free port over a fresh database; resolves once it listens, with the admin token. */
export async function startDemo() {
  // DOSSIER_URL and DOSSIER_TOKEN: a server already running (while working on the tests).
  if (process.env.DOSSIER_URL) return client(process.env.DOSSIER_URL, process.env.DOSSIER_TOKEN, null)
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'dossier-web-'))
  // DOSSIER_CADRES: a larger district (e.g. 100000 for the roster benchmark; loading takes minutes).
  const size = process.env.DOSSIER_CADRES ? ['--cadres', process.env.DOSSIER_CADRES] : []
  const child = spawn(binary(), ['serve', '--demo', ...size, '--db', join(dir, 'dossier.db'), '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'warn' },
  })
  let out = ''
  const ready = new Promise((ok, fail) => {
    const limit = size.length ? 1800 : 240
    const timer = setTimeout(() => fail(new Error(`serve --demo did not start in ${limit} s:\n${out}`)), limit * 1000)
    const read = (chunk) => {
      out += chunk
      const token = out.match(/admin token \(org_admin\): (dos_[0-9a-f]{64})/)
      if (out.includes('Dossier listening on') && token) { clearTimeout(timer); ok(token[1]) }
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`serve --demo exited ${code}:\n${out}`)) })
  })
  const server = client(`http://127.0.0.1:${port}`, await ready, child)
  server.dir = dir
  return server
}

function client(base, admin, child) {
  const server = {
    base, admin, child,
    async gql(query, variables = {}, token = admin) {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      })
      return res.json()
    },
    async token(role, scope = null) {
      const r = await server.gql('mutation T($r: RoleName!, $s: String) { createToken(role: $r, scope: $s, label: "浏览器测试") }', { r: role, s: scope })
      if (r.errors) throw new Error(JSON.stringify(r.errors))
      return r.data.createToken
    },
    async stop() {
      if (!child) return
      child.removeAllListeners('exit')
      child.kill('SIGTERM')
      await new Promise((ok) => { child.once('exit', ok); setTimeout(ok, 10_000) })
      if (server.dir) rmSync(server.dir, { recursive: true, force: true })
    },
  }
  return server
}

export async function launch() {
  mkdirSync(SHOTS, { recursive: true })
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'] })
}

/**
 * A page at 1366×768 whose requests to anything but 127.0.0.1 are refused and recorded, and whose
 * console errors and uncaught exceptions are recorded.
 */
export async function openPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true })
  const page = await context.newPage()
  const offsite = []
  const errors = []
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url())
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue()
    offsite.push(url.href)
    return route.abort()
  })
  page.on('websocket', (ws) => { if (!new URL(ws.url()).hostname.startsWith('127.0.0.1')) offsite.push(ws.url()) })
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`${page.url()}: ${msg.text()}`) })
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`))
  return { page, context, offsite, errors }
}

/** Sign in through the login page. */
export async function login(page, base, token) {
  await page.goto(`${base}/login`)
  await input(page, 'token').fill(token)
  await page.locator('[data-test=login]').click()
  await page.waitForSelector('[data-test=menu]')
}

/** The text input an Element Plus control with `data-test=name` renders (the attribute lands on the
 * control's root or on its native input, depending on the control). */
export const input = (page, name) => page.locator(`[data-test="${name}"] input, input[data-test="${name}"]`).first()
/** The clickable part of an Element Plus select with `data-test=name`. */
export const selectBox = (page, name) => page.locator(`[data-test="${name}"] .el-select__wrapper, [data-test="${name}"].el-select__wrapper, .el-select:has([data-test="${name}"]) .el-select__wrapper`).first()

export async function shot(page, name) {
  await page.waitForLoadState('networkidle').catch(() => {})
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false })
}

// Form helpers over the schema-built forms (`data-field` is the argument path, e.g. `input.cadreId`).
export const field = (page, path) => page.locator(`[data-field="${path}"]`).first()
export async function fill(page, path, value) {
  const input = field(page, path).locator('input, textarea').first()
  await input.fill(String(value))
  await input.press('Tab')
}
export async function choose(page, path, label) {
  await field(page, path).locator('.el-select__wrapper').click()
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: label }).first()
  await option.click()
}
export async function date(page, path, value) {
  const input = field(page, path).locator('input').first()
  await input.fill(value)
  await input.press('Enter')
}
/** Submit the form on screen and wait for its answer: `done` or `refusal`. */
export async function submit(page) {
  const form = page.locator('[data-form]:visible').first()
  await form.locator('[data-test=submit]').click()
  await form.locator('[data-test=done], [data-test=refusal]').first().waitFor()
  return form
}
