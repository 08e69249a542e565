// The workbench's benchmark in headless Chromium on loopback against `dossier serve --demo`:
// compressed JS+CSS, cold load of 工作台 after login, opening a profile, a name search in the
// roster (keystroke to rendered rows), the dashboards page with every chart.
// QUICK=1: fewer repetitions, budgets reported but not enforced (scripts/test.sh runs it so).
import { request } from 'node:http'
import { startDemo, launch, openPage, input } from '../tests/support.mjs'

const QUICK = process.env.QUICK === '1'
// REPEAT=N repeats each timed step N times (default 15, 3 in quick mode).
const N = Number(process.env.REPEAT) || (QUICK ? 3 : 15)
const BUDGET = { kb: 900, cold: 1500, profile: 300, search: 150, dashboards: 1000 }

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] }
const ms = (x) => `${x.toFixed(0)} ms`

function gzipBytes(url) {
  return new Promise((ok, fail) => {
    request(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let n = 0
      res.on('data', (c) => { n += c.length })
      res.on('end', () => ok({ n, encoding: res.headers['content-encoding'] }))
    }).on('error', fail).end()
  })
}

/** Run `act` in the page and wait (polling each frame) until `done` holds; milliseconds. */
async function timeInPage(page, act, done, arg) {
  return page.evaluate(async ([act, done, arg]) => {
    const a = new Function('arg', act)
    const d = new Function('arg', done)
    const t0 = performance.now()
    a(arg)
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r))
      if (d(arg)) return performance.now() - t0
      if (performance.now() - t0 > 20000) throw new Error('timed out')
    }
  }, [act, done, arg])
}

const server = await startDemo()
const browser = await launch()
const results = {}
try {
  // 1. What the browser downloads: every JS and CSS file of the build, gzipped as served.
  const index = await (await fetch(`${server.base}/`)).text()
  const { page: probe, context: probeCtx } = await openPage(browser)
  const assets = new Set(index.match(/\/assets\/[^"]+\.(js|css)/g))
  probe.on('request', (r) => { const u = new URL(r.url()); if (/^\/assets\/.*\.(js|css)$/.test(u.pathname)) assets.add(u.pathname) })
  await probe.goto(`${server.base}/login`)
  await probe.evaluate((t) => sessionStorage.setItem('dossier.session', JSON.stringify({ token: t, me: { id: 'x', role: 'ORG_ADMIN', scope: null } })), server.admin)
  for (const p of ['/', '/cadres', '/cadres/c0004', '/cadres/c0004/print', '/dashboards', '/units', '/supervision', '/care', '/audit', '/forms', '/commands']) {
    await probe.goto(`${server.base}${p}`)
    await probe.waitForLoadState('networkidle')
  }
  await probeCtx.close()
  let total = 0
  for (const a of assets) {
    const { n, encoding } = await gzipBytes(`${server.base}${a}`)
    if (encoding !== 'gzip') throw new Error(`${a} not served gzipped`)
    total += n
  }
  results.kb = total / 1024
  console.log(`compressed JS+CSS, every page's files (${assets.size} files): ${results.kb.toFixed(0)} KB (budget ${BUDGET.kb} KB)`)

  // 2. Cold load of 工作台: a fresh browser context (empty cache), from the login click to the grouped alerts.
  const cold = []
  for (let i = 0; i < N; i++) {
    const { page, context } = await openPage(browser)
    await page.goto(`${server.base}/login`)
    await input(page, 'token').fill(server.admin)
    const t0 = Date.now()
    await page.locator('[data-test=login]').click()
    await page.waitForSelector('[data-alert-group] .el-collapse-item__header')
    cold.push(Date.now() - t0)
    await context.close()
  }
  results.cold = pct(cold, 50)
  console.log(`cold load of 工作台 after login: median ${ms(pct(cold, 50))}, max ${ms(Math.max(...cold))} over ${N} (budget ${BUDGET.cold} ms)`)

  // 3. Opening a profile from the roster, in the running app (the first two openings, which load the
  // page's code, are not counted).
  const { page } = await openPage(browser)
  await page.goto(`${server.base}/login`)
  await input(page, 'token').fill(server.admin)
  await page.locator('[data-test=login]').click()
  await page.waitForSelector('[data-menu]')
  const profile = []
  await page.goto(`${server.base}/cadres`)
  for (let i = 0; i < N + 2; i++) {
    if (i > 0) await page.locator('[data-menu=roster]').click()
    await page.waitForSelector('[data-test=cadre-link]')
    const t = await timeInPage(page,
      `document.querySelectorAll('[data-test=cadre-link]')[arg].click()`,
      `const el = document.querySelector('[data-test=identity]'); return el && document.querySelector('[data-test=posts] tbody') && !document.querySelector('.el-loading-mask:not([style*="display: none"])')`, i % 10)
    if (i >= 2) profile.push(t)
  }
  results.profile = pct(profile, 50)
  console.log(`opening a profile: median ${ms(pct(profile, 50))}, p95 ${ms(pct(profile, 95))} over ${profile.length} (budget ${BUDGET.profile} ms)`)
  console.log(`  each opening, in order: ${profile.map((t) => t.toFixed(0)).join(' ')} ms`)

  // 4. A name search in the roster: keystroke to rendered rows.
  await page.goto(`${server.base}/cadres`)
  await page.waitForSelector('[data-test=cadre-link]')
  const names = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡']
  const search = []
  for (let i = 0; i < N + 5; i++) {
    const q = names[i % names.length]
    const t = await timeInPage(page,
      `const el = document.querySelector('[data-test=search-name] input, input[data-test=search-name]'); el.value = arg; el.dispatchEvent(new Event('input', { bubbles: true }))`,
      `const links = [...document.querySelectorAll('[data-test=cadre-link]')]; return (links.length > 0 && links.every((l) => l.textContent.includes(arg))) || (links.length === 0 && document.querySelector('[data-test=roster] .el-table__empty-text'))`, q)
    search.push(t)
  }
  results.search = pct(search, 95)
  console.log(`name search in the roster: median ${ms(pct(search, 50))}, p95 ${ms(pct(search, 95))} over ${search.length} (budget p95 ${BUDGET.search} ms)`)

  // 5. The dashboards page with every chart, timed in the page (no round trip to the driver between
  // steps): from the menu click until the first area's charts are drawn, then each other area opened
  // in turn until its charts are drawn; the figure held to the budget is the whole sequence.
  const AREAS = ['training', 'assessment', 'awards', 'promotion', 'down', 'supervision', 'rotation', 'care']
  const dash = []
  const open = []
  for (let i = 0; i < N; i++) {
    await page.goto(`${server.base}/cadres`)
    await page.waitForSelector('[data-menu=dashboards]')
    const [first, all] = await page.evaluate(async (areas) => {
      const frame = () => new Promise((r) => requestAnimationFrame(r))
      const drawn = async (area, t0) => {
        while (!document.querySelector(`[data-chart^="${area}-"] canvas`)) {
          await frame()
          if (performance.now() - t0 > 20000) throw new Error(`${area}: timed out`)
        }
      }
      const t0 = performance.now()
      document.querySelector('[data-menu=dashboards]').click()
      await drawn(areas[0], t0)
      const first = performance.now() - t0
      for (const area of areas.slice(1)) {
        document.querySelector(`#tab-${area}`).click()
        await drawn(area, t0)
      }
      return [first, performance.now() - t0]
    }, AREAS)
    open.push(first)
    dash.push(all)
  }
  results.dashboards = pct(dash, 50)
  console.log(`dashboards page opened, its first area's charts: median ${ms(pct(open, 50))}, max ${ms(Math.max(...open))} over ${N}`)
  console.log(`dashboards page, every area's charts in turn: median ${ms(pct(dash, 50))}, max ${ms(Math.max(...dash))} over ${N} (budget ${BUDGET.dashboards} ms)`)
} finally {
  await browser.close()
  await server.stop()
}
const over = Object.entries(BUDGET).filter(([k, b]) => results[k] > b)
// Quick mode (scripts/test.sh, on a shared machine, a debug build) shows that the benchmark runs and
// reports; the full run is the one whose figures are recorded and held to the budgets.
if (over.length) {
  console.error(`over budget: ${over.map(([k]) => k).join(', ')}${QUICK ? ' (quick mode: reported, not enforced)' : ''}`)
  if (!QUICK) process.exit(1)
} else {
  console.log('every figure within its budget')
}
