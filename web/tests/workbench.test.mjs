// The workbench in a real browser (Debian's Chromium) against `dossier serve --demo`: roles and menus,
// a career through the forms, a refusal, the published figures, the as-of picker, live updates,
// no request off 127.0.0.1 and no console error on any page. Screenshots go to SHOTS.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startDemo, launch, openPage, login, shot, fill, choose, date, submit, field, input as inputOf, selectBox, SHOTS } from './support.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
let server
let browser
const pages = []

before(async () => {
  server = await startDemo()
  browser = await launch()
  console.log(`# screenshots: ${SHOTS}`)
})
after(async () => {
  for (const p of pages) {
    assert.deepEqual(p.offsite, [], 'a request left 127.0.0.1')
    assert.deepEqual(p.errors.filter((e) => !p.allowed?.some((a) => e.includes(a))), [], 'console errors')
  }
  await browser?.close()
  await server?.stop()
})

async function open(allowed) {
  const p = await openPage(browser)
  p.allowed = allowed
  pages.push(p)
  return p
}
const todayCst = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
const addDays = (d, n) => new Date(Date.parse(d) + n * 86400e3).toISOString().slice(0, 10)

const MENUS = {
  ORG_ADMIN: ['home', 'roster', 'dashboards', 'units', 'supervision', 'care', 'audit', 'forms', 'generic'],
  DISCIPLINE_INSPECTOR: ['home', 'roster', 'dashboards', 'units', 'supervision', 'care', 'audit', 'forms', 'generic'],
  UNIT_HEAD: ['home', 'roster', 'units', 'generic'],
  CADRE: ['mine', 'care', 'forms', 'generic'],
  AUDITOR: ['home', 'roster', 'dashboards', 'units', 'care', 'audit'],
  ANALYST: ['dashboards'],
}
const FORBIDDEN = { UNIT_HEAD: '/audit', CADRE: '/dashboards', AUDITOR: '/forms', ANALYST: '/cadres', DISCIPLINE_INSPECTOR: '/nowhere', ORG_ADMIN: '/nowhere' }
const SCOPES = { UNIT_HEAD: 'u01', CADRE: 'c0004' }
const PATHS = { home: '/', mine: '/mine', roster: '/cadres', dashboards: '/dashboards', units: '/units', supervision: '/supervision', care: '/care', audit: '/audit', forms: '/forms', generic: '/commands' }

test('each role sees its own menu, every page of it opens without an error, and a page outside it is refused', async () => {
  for (const [role, expected] of Object.entries(MENUS)) {
    const token = role === 'ORG_ADMIN' ? server.admin : await server.token(role, SCOPES[role] || null)
    const { page, context } = await open()
    await login(page, server.base, token)
    const menu = await page.locator('[data-menu]').evaluateAll((els) => els.map((e) => e.dataset.menu))
    assert.deepEqual(menu, expected, role)
    for (const name of expected) {
      await page.goto(`${server.base}${PATHS[name]}`)
      await page.waitForSelector('.page')
      await page.waitForLoadState('networkidle')
      const refusals = await page.locator('.el-alert--error:visible').allTextContents()
      assert.deepEqual(refusals, [], `${role} ${name}`)
      await shot(page, `${role.toLowerCase()}-${name}`)
    }
    await page.goto(`${server.base}${FORBIDDEN[role]}`)
    const sel = FORBIDDEN[role] === '/nowhere' ? '[data-test=missing]' : '[data-test=forbidden]'
    await page.waitForSelector(sel)
    await shot(page, `${role.toLowerCase()}-forbidden`)
    await context.close()
  }
})

test('a revoked token returns to the login page with a clear message', async () => {
  const token = await server.token('AUDITOR')
  const { page, context } = await open(['401'])
  await login(page, server.base, token)
  const r = await server.gql('mutation R($p: String!) { revokeToken(hashPrefix: $p) }', { p: createHash('sha256').update(token).digest('hex') })
  assert.equal(r.data.revokeToken, true)
  await page.goto(`${server.base}/cadres`)
  await page.waitForSelector('[data-test=notice]')
  assert.match(await page.locator('[data-test=notice]').textContent(), /登录已失效/)
  assert.equal(new URL(page.url()).pathname, '/login')
  await shot(page, 'login-expired')
  await context.close()
})

test('the dashboards show the demo district\'s published figures', async () => {
  const { page, context } = await open()
  await login(page, server.base, server.admin)
  await page.goto(`${server.base}/dashboards`)
  const year = todayCst().slice(0, 4)
  const figure = async (area, id) => {
    await page.locator(`.el-tabs__item#tab-${area}`).click()
    const card = page.locator(`[data-figure="${id}"] .v`)
    await card.waitFor()
    return Number(await card.textContent())
  }
  await page.waitForSelector('[data-figure="training/classes/main"]')
  assert.equal(await figure('training', 'training/classes/main'), 9)
  assert.equal(await figure('training', 'training/classes/thematic'), 13)
  await shot(page, 'dashboards-training')
  assert.equal(await figure('awards', 'awards/steed_batches/'), 5)
  assert.equal(await figure('awards', 'awards/steed_awardees/'), 37)
  assert.equal(await figure('promotion', `promotion/quota/${year}`), 20)
  assert.equal(await figure('down', 'down/cadres_moved_down/'), 8)
  assert.equal(await figure('rotation', `rotation/hot_post_heads_rotated/${year}`), 56)
  assert.equal(await figure('rotation', `rotation/hot_post_units/${year}`), 8)
  await shot(page, 'dashboards-rotation')
  assert.equal(await figure('care', 'care/typical_cases/'), 85)
  assert.ok((await page.locator('[data-chart]').count()) >= 2, 'charts drawn')
  await shot(page, 'dashboards-care')
  // Live: a command recorded elsewhere reaches the open page through dashboardChanged.
  await page.locator('.el-tabs__item#tab-training').click()
  await page.waitForSelector('[data-test=live]:has-text("实时")')
  const today = todayCst()
  const r = await server.gql(`mutation { scheduleClass(input: { classId: "live-1", name: "实时更新测试班", kind: MAIN, startDate: "${today}", endDate: "${addDays(today, 30)}", scheduledHours: 8 }) { position } }`)
  assert.ok(!r.errors, JSON.stringify(r.errors))
  await page.waitForSelector('[data-figure="training/classes/main"] .v:text-is("10")', { timeout: 15_000 })
  // The PNG export of a chart downloads a real PNG.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export]').first().click()])
  assert.match(download.suggestedFilename(), /\.png$/)
  await context.close()
})

test('the 监督 and 关爱 lists read every page of their connections and show Chinese labels', async () => {
  const counts = (await server.gql('{ leads { totalCount } bulletins { totalCount } appeals { totalCount } }')).data
  const { page, context } = await open()
  await login(page, server.base, server.admin)
  await page.goto(`${server.base}/supervision`)
  await page.waitForSelector('[data-test=lead-agency]')
  const agencies = await page.locator('[data-test=lead-agency]').allTextContents()
  assert.equal(agencies.length, counts.leads.totalCount, 'every lead, across pages')
  assert.ok(agencies.every((a) => /^[\u4e00-\u9fff]+$/.test(a)), `agencies in Chinese: ${agencies}`)
  const steps = await page.locator('[data-test=lead-step]').allTextContents()
  assert.ok(steps.every((s) => ['移送', '核查', '办结'].includes(s)), `steps in Chinese: ${steps}`)
  assert.equal(await page.locator('[data-test=bulletins] tbody tr').count(), counts.bulletins.totalCount)
  await shot(page, 'supervision-lists')
  await page.goto(`${server.base}/care`)
  await page.waitForSelector('[data-appeal]')
  await page.locator('.el-switch').click()
  await page.waitForSelector('[data-stage=closed]')
  assert.equal(await page.locator('[data-appeal]').count(), counts.appeals.totalCount, 'every appeal on the board, across pages')
  await shot(page, 'care-board')
  await context.close()
})

test('the as-of picker shows the profile as it stood on an earlier date', async () => {
  const { page, context } = await open()
  await login(page, server.base, server.admin)
  await page.goto(`${server.base}/cadres/c0004`)
  await page.waitForSelector('[data-test=unit]')
  const now = await page.locator('[data-test=unit]').textContent()
  const asOf = inputOf(page, 'as-of')
  await asOf.fill('2025-06-30')
  await asOf.press('Enter')
  await page.waitForSelector('[data-test=historic]')
  await page.waitForFunction((before) => document.querySelector('[data-test=unit]')?.textContent !== before, now)
  const then = await page.locator('[data-test=unit]').textContent()
  assert.equal(then, '姜堰区行政审批局')
  assert.notEqual(now, then)
  await shot(page, 'profile-as-of')
  await context.close()
})

test('the date chosen last is the one shown, whichever answer comes back last', async () => {
  const { page, context } = await open()
  await login(page, server.base, server.admin)
  const early = '2025-06-30'
  // The profile as of the early date is held back, so that it comes back after the later one.
  await page.route('**/graphql', async (route) => {
    const body = route.request().postData() || ''
    if (body.includes('query Profile') && body.includes(`"asOf":"${early}"`)) await new Promise((ok) => setTimeout(ok, 1500))
    await route.fallback()
  })
  await page.goto(`${server.base}/cadres/c0004`)
  await page.waitForSelector('[data-test=unit]')
  const now = await page.locator('[data-test=unit]').textContent()
  assert.notEqual(now, '姜堰区行政审批局', 'the early date shows another unit')
  const asOf = inputOf(page, 'as-of')
  await asOf.fill(early)
  await asOf.press('Enter')
  await asOf.fill(addDays(todayCst(), -1))
  await asOf.press('Enter')
  await page.waitForSelector('[data-test=historic]')
  await page.waitForTimeout(2500) // the early date's answer has come back by now
  assert.equal(await page.locator('[data-test=unit]').textContent(), now, 'yesterday\'s unit, not the early date\'s')
  await context.close()
})

test('a refused command shows the server\'s message beside the form and changes nothing', async () => {
  const { page, context } = await open()
  await login(page, server.base, server.admin)
  const head = (await server.gql('{ head }')).data.head
  await page.goto(`${server.base}/forms?tab=register`)
  await fill(page, 'input.cadreId', 'c0004')
  await fill(page, 'input.name', '重复登记')
  await fill(page, 'input.idNumber', '321204198801010021')
  await choose(page, 'input.unitId', '（u30）')
  const form = await submit(page)
  const refusal = form.locator('[data-test=refusal]')
  assert.ok(await refusal.isVisible(), 'the refusal is shown')
  assert.match(await refusal.textContent(), /c0004/)
  await shot(page, 'forms-refused')
  assert.equal((await server.gql('{ head }')).data.head, head, 'nothing was written')
  await context.close()
})

test('a career through the forms: register, appoint, grades, training, rotation, the appeal loop; seen on the profile, dashboards and audit trail', async () => {
  const { page, context } = await open()
  await login(page, server.base, server.admin)
  const today = todayCst()
  const id = `w${Date.now().toString(36)}`
  const appealsBefore = (await server.gql('{ appeals { totalCount } }')).data.appeals.totalCount
  const mainClasses = async () => (await server.gql('{ dashboards { figures { dashboard metric key value } } }')).data.dashboards.figures
    .find((f) => f.dashboard === 'training' && f.metric === 'classes' && f.key === 'main').value
  const classesBefore = await mainClasses()
  const expectDone = async (what) => {
    const form = await submit(page)
    const refusal = form.locator('[data-test=refusal]')
    if (await refusal.count()) assert.fail(`${what} refused: ${await refusal.textContent()}`)
  }
  // Two posts, through the generic form that reaches every mutation.
  const p1 = `${id}-p1`
  const p2 = `${id}-p2`
  for (const [unit, post] of [['u30', p1], ['u31', p2]]) {
    await page.goto(`${server.base}/commands?m=openPost`)
    await choose(page, 'input.unitId', `（${unit}）`)
    await fill(page, 'input.postId', post)
    await fill(page, 'input.title', '综合科科员')
    await choose(page, 'input.category', 'GENERAL')
    await expectDone(`openPost ${post}`)
  }
  await shot(page, 'commands-generic')

  // Register: the ID number is checked as typed.
  await page.goto(`${server.base}/forms?tab=register`)
  await fill(page, 'input.cadreId', id)
  await fill(page, 'input.name', '王晓明')
  await fill(page, 'input.idNumber', '32120419880101001X')
  assert.match(await page.locator('[data-test=id-check]').textContent(), /校验码应为 3/)
  await fill(page, 'input.idNumber', '321204198801010013')
  assert.match(await page.locator('[data-test=id-check]').textContent(), /校验通过/)
  await choose(page, 'input.unitId', '（u30）')
  await choose(page, 'input.rank', '四级主任科员')
  await date(page, 'input.rankSince', '2022-01-01')
  await shot(page, 'forms-register')
  await expectDone('registerCadre')

  // Appoint (the cadre id carries over from the registration).
  await page.locator('.el-tabs__item#tab-posts').click()
  assert.equal(await field(page, 'input.cadreId').locator('input').inputValue(), id)
  await choose(page, 'input.unitId', '（u30）')
  await fill(page, 'input.postId', p1)
  await choose(page, 'input.manner', '委任')
  await choose(page, 'input.reason', '工作需要')
  await choose(page, 'input.changeCategory', '新任')
  await fill(page, 'input.nominatedBy', '区委组织部')
  await fill(page, 'input.approvedBy', '区委常委会')
  await date(page, 'input.decidedOn', today)
  await fill(page, 'input.documentNumber', '姜委〔2026〕88号')
  await expectDone('appoint')

  // Grades for the unit, the 优秀 share shown against the cap.
  await page.locator('.el-tabs__item#tab-grades').click()
  await selectBox(page, 'grades-unit').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '（u30）' }).click()
  await inputOf(page, 'grades-year').fill(today.slice(0, 4))
  await inputOf(page, 'grades-year').press('Tab')
  await page.locator(`[data-grade="${id}"] .el-select__wrapper`).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '优秀' }).click()
  assert.match(await page.locator('[data-test=excellent-share]').textContent(), /优秀 1 人 \/ 上限 1 人/)
  await shot(page, 'forms-grades')
  await expectDone('recordGrades')

  // Training: schedule, enrol, attend, complete.
  await page.locator('.el-tabs__item#tab-training').click()
  await fill(page, 'input.classId', `${id}-class`)
  await fill(page, 'input.name', '年轻干部能力提升班')
  await choose(page, 'input.kind', '主体班次')
  await date(page, 'input.startDate', addDays(today, -20))
  await date(page, 'input.endDate', today)
  await fill(page, 'input.scheduledHours', 40)
  await expectDone('scheduleClass')
  for (const step of ['enrol', 'recordAttendance', 'completeTraining']) {
    await page.locator(`[data-step=${step}]`).click()
    assert.equal(await field(page, 'input.classId').locator('input').inputValue(), `${id}-class`)
    if (step === 'recordAttendance') {
      // Two days of sessions: at most 24 hours a day, 32 in all for the 80 % completion needs.
      await date(page, 'input.sessionDate', addDays(today, -2))
      await fill(page, 'input.hours', 16)
      await expectDone(step)
      await page.locator(`[data-step=${step}]`).click()
      await date(page, 'input.sessionDate', addDays(today, -1))
      await fill(page, 'input.hours', 16)
    }
    await expectDone(step)
  }

  // Rotation to the other unit.
  await page.locator('.el-tabs__item#tab-rotation').click()
  await choose(page, 'input.kind', '培养性交流')
  await fill(page, 'input.reason', '多岗位锻炼')
  await fill(page, 'input.fromPostId', p1)
  await choose(page, 'input.toUnitId', '（u31）')
  await fill(page, 'input.toPostId', p2)
  await fill(page, 'input.approvedBy', '区委常委会')
  await fill(page, 'input.documentNumber', '姜委〔2026〕89号')
  await expectDone('rotate')

  // The appeal closed loop, every stage.
  await page.locator('.el-tabs__item#tab-appeal').click()
  await fill(page, 'input.appealId', `${id}-ap`)
  await choose(page, 'input.level', '区级')
  await fill(page, 'input.summary', '子女入学协调')
  await expectDone('fileAppeal')
  const stages = [
    ['listAppeal', async () => choose(page, 'assigneeUnitId', '（u05）')],
    ['claimAppeal', async () => fill(page, 'handler', '区人社局王科长')],
    ['coordinateAppeal', async () => { await fill(page, 'participantUnitIds', 'u05，u08'); await fill(page, 'outcome', '协调解决入学') }],
    ['trackAppeal', async () => fill(page, 'note', '跟踪落实')],
    ['closeAppeal', async () => fill(page, 'resolution', '已妥善解决')],
  ]
  for (const [step, enter] of stages) {
    await page.locator(`[data-step=${step}]`).click()
    assert.equal(await field(page, 'appealId').locator('input').inputValue(), `${id}-ap`)
    await enter()
    await expectDone(step)
  }
  await shot(page, 'forms-appeal')

  // The profile shows every change.
  await page.goto(`${server.base}/cadres/${id}`)
  await page.waitForSelector('[data-test=posts]')
  assert.match(await page.locator('[data-test=unit]').textContent(), /./)
  const profile = (await server.gql(`{ cadre(id: "${id}") { unitId posts { postId } rotations { toUnitId } grades { year grade } training { hours } appeals } }`)).data.cadre
  assert.equal(profile.unitId, 'u31')
  assert.deepEqual(profile.appeals, [`${id}-ap`])
  assert.match(await page.locator('[data-test=posts]').textContent(), /综合科科员/)
  assert.equal(await page.locator('[data-test=rotations] tbody tr').count(), 1)
  assert.match(await page.locator('[data-test=rotations]').textContent(), /培养性交流/)
  assert.match(await page.locator('[data-test=grades]').textContent(), /优秀/)
  await shot(page, 'profile')
  await page.locator('.el-tabs__item#tab-points').click()
  await page.waitForSelector('[data-chart]')
  assert.match(await page.locator('[data-test=points]').textContent(), /任现职级/)
  await shot(page, 'profile-training')
  await page.locator('.el-tabs__item#tab-care').click()
  assert.equal(await page.locator('[data-test=appeal-id]').textContent(), `${id}-ap`)
  await page.locator('.el-tabs__item#tab-trail').click()
  await page.waitForSelector('[data-test=trail] tbody tr')
  const trail = (await server.gql(`{ auditTrail(streamId: "cadre-${id}") { type } }`)).data.auditTrail
  assert.ok(trail.length >= 4, JSON.stringify(trail))
  assert.equal(await page.locator('[data-test=trail] tbody tr').count(), trail.length)
  // Who recorded each event, in which role: the role enum shown by its Chinese name.
  const recorded = await page.locator('[data-test=trail]').textContent()
  assert.match(recorded, /（组织部管理员）/)
  assert.doesNotMatch(recorded, /（[A-Za-z_]+）/)
  await shot(page, 'profile-trail')

  // The dashboards: one more main class, one more appeal.
  const figures = (await server.gql('{ dashboards { figures { dashboard metric key value } } }')).data.dashboards.figures
  const appeals = figures.find((f) => f.dashboard === 'care' && f.metric === 'appeals').value
  await page.goto(`${server.base}/dashboards`)
  await page.waitForSelector('[data-figure="training/classes/main"]')
  assert.equal(await mainClasses(), classesBefore + 1)
  assert.equal(await page.locator('[data-figure="training/classes/main"] .v').textContent(), String(classesBefore + 1))
  await page.locator('.el-tabs__item#tab-care').click()
  assert.equal(await page.locator('[data-figure="care/appeals/"] .v').textContent(), String(appeals))
  assert.equal(appeals, appealsBefore + 1, 'the demo\'s appeals and this one')

  // The audit page: the stream's trail.
  await page.goto(`${server.base}/audit`)
  await page.locator('.el-tabs__item#tab-trail').click()
  await inputOf(page, 'trail-stream').fill(`appeal-${id}-ap`)
  await inputOf(page, 'trail-stream').press('Enter')
  await page.waitForSelector('[data-test=trail] tbody tr')
  assert.equal(await page.locator('[data-test=trail] tbody tr').count(), 6, 'filed and five stages')
  await shot(page, 'audit-trail')
  // Verify the log and check the anchor it gives.
  await page.locator('.el-tabs__item#tab-verify').click()
  await page.locator('[data-test=verify]').click()
  await page.waitForSelector('[data-test=anchor-out]')
  const anchor = await page.locator('[data-test=anchor-out]').textContent()
  await inputOf(page, 'anchor').fill(anchor)
  await page.locator('[data-test=verify]').click()
  await page.waitForSelector('[data-test=verification]:has-text("一致")')
  await shot(page, 'audit-verify')
  // The print view.
  await page.goto(`${server.base}/cadres/${id}/print`)
  await page.waitForSelector('[data-test=print-table]')
  assert.match(await page.locator('[data-test=print-table]').textContent(), /王晓明/)
  await shot(page, 'print')
  await context.close()
})

test('the roster imports a 花名册 after a check that writes nothing, and exports the list as Excel', async () => {
  const { page, context } = await open()
  await login(page, server.base, server.admin)
  await page.goto(`${server.base}/cadres`)
  await page.waitForSelector('[data-test=roster] tbody tr')
  // The current list as a workbook: a real .xlsx (a zip) named after the sheet and the day.
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-xlsx]').click()])
  assert.match(xlsx.suggestedFilename(), /^干部名册-\d{4}-\d{2}-\d{2}\.xlsx$/)
  const bytes = await readFile(await xlsx.path())
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an .xlsx is a zip')

  const head = (await server.gql('{ head }')).data.head
  await page.locator('[data-test=import-roster]').click()
  await page.setInputFiles('[data-test=roster-file]', join(ROOT, 'docs/examples/roster.xlsx'))
  await page.locator('[data-test=import-check]').click()
  const result = page.locator('[data-test=import-result]')
  await result.waitFor()
  assert.match(await result.textContent(), /检查结果/)
  assert.match(await result.textContent(), /未写入任何内容/)
  assert.equal((await server.gql('{ head }')).data.head, head, 'the check wrote nothing')
  await shot(page, 'roster-import-check')
  await page.locator('[data-test=import-run]').click()
  await page.waitForSelector('[data-test=import-result]:has-text("导入完成")')
  const created = Number(await result.locator('b').first().textContent())
  assert.ok(created > 0, 'rows were entered')
  assert.ok((await server.gql('{ head }')).data.head > head)
  await shot(page, 'roster-import-done')
  await context.close()
})

test('every field of every command\'s form has a Chinese label', async () => {
  const { FIELD_ZH, FIELD_ZH_IN } = await import('../src/fields.js')
  const r = await server.gql('{ __schema { types { name kind inputFields { name } } mutationType { fields { name args { name } } } } }')
  const labelled = (owner, name) => /[\u4e00-\u9fff]/.test(FIELD_ZH_IN[owner]?.[name] ?? FIELD_ZH[name] ?? '')
  const unlabelled = []
  for (const t of r.data.__schema.types.filter((t) => t.kind === 'INPUT_OBJECT')) {
    for (const f of t.inputFields) if (!labelled(t.name, f.name)) unlabelled.push(`${t.name}.${f.name}`)
  }
  for (const m of r.data.__schema.mutationType.fields) {
    // `input` is the form itself (no label of its own).
    for (const a of m.args) if (a.name !== 'input' && !labelled('', a.name)) unlabelled.push(`${m.name}(${a.name})`)
  }
  assert.deepEqual(unlabelled, [], 'a field without a Chinese label shows the schema\'s English description')
})

test('every command has a Chinese title; a form is filled and submitted from the keyboard alone', async () => {
  const { page, context } = await open()
  await login(page, server.base, server.admin)
  await page.goto(`${server.base}/commands`)
  await page.waitForSelector('[data-test=command-title]')
  const titles = await page.locator('[data-test=command-title]').allTextContents()
  assert.ok(titles.length >= 100, `every command is listed: ${titles.length}`)
  const untitled = titles.filter((t) => !/^[\u4e00-\u9fff“（]/.test(t.trim()))
  assert.deepEqual(untitled, [], 'every command is named in Chinese')
  // Finding a command by its Chinese name.
  await inputOf(page, 'command-filter').fill('设立岗位')
  await page.waitForFunction(() => document.querySelectorAll('[data-test=command-title]').length === 1)

  // 登记单位 with the keyboard: type the new unit's id in the unit field (Enter takes it), Tab to
  // the name, type it, Enter submits.
  const unit = `k${Date.now().toString(36)}`
  await page.goto(`${server.base}/commands?m=registerUnit`)
  const form = page.locator('[data-form=registerUnit]')
  await form.locator('[data-test=form-title]').waitFor()
  assert.equal((await form.locator('[data-test=form-title]').textContent()).trim(), '登记单位')
  assert.match(await field(page, 'input.name').textContent(), /单位名称/, 'a unit\'s name is labelled as such, not 姓名')
  await field(page, 'input.unitId').locator('input').focus()
  await page.keyboard.type(unit)
  await page.locator('.el-select-dropdown__item:visible', { hasText: unit }).first().waitFor()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  await page.keyboard.type('键盘登记的单位')
  await page.keyboard.press('Enter')
  await form.locator('[data-test=done], [data-test=refusal]').first().waitFor()
  assert.ok(await form.locator('[data-test=done]').isVisible(), await form.textContent())
  const units = (await server.gql('{ units { unitId name } }')).data.units
  assert.ok(units.some((u) => u.unitId === unit && u.name === '键盘登记的单位'), 'the unit was registered')
  await shot(page, 'commands-keyboard')
  await context.close()
})

test('the 审批表 prints on A4 without the menus; the profile shows a 不称职 year\'s pending rank lowering', async () => {
  const { page, context } = await open()
  await login(page, server.base, server.admin)
  // The demo grades one 四级主任科员 不称职 for 2025: the lowering waits for a decision.
  const alerts = (await server.gql('{ alerts { kind cadreId } }')).data.alerts
  const pending = alerts.find((a) => a.kind === 'RANK_LOWERING_PENDING')
  assert.ok(pending, 'the demo has a pending rank lowering')
  await page.goto(`${server.base}/cadres/${pending.cadreId}`)
  await page.locator('.el-tabs__item#tab-care').click()
  const lowering = page.locator('[data-test=pending-lowering]').first()
  await lowering.waitFor()
  assert.match(await lowering.textContent(), /2025 年度考核不称职：由四级主任科员降为一级科员/)
  await shot(page, 'profile-down')

  await page.goto(`${server.base}/cadres/${pending.cadreId}/print`)
  await page.waitForSelector('[data-test=print-table]')
  await page.emulateMedia({ media: 'print' })
  assert.ok(await page.locator('[data-test=print-table]').isVisible(), 'the form prints')
  for (const hidden of ['[data-test=menu]', '.no-print']) {
    assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is not printed`)
  }
  const pdf = await page.pdf({ format: 'A4', printBackground: true })
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length
  assert.ok(pages >= 1 && pages <= 2, `the 审批表 fits on one or two A4 pages: ${pages}`)
  await shot(page, 'print-form')
  await context.close()
})
