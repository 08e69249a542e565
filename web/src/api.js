// The GraphQL client: POST /graphql with the tab's token, and graphql-ws for subscriptions.
import { createClient } from 'graphql-ws'
import { session, signOut } from './session.js'
import { router } from './router.js'

export class GqlError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join('；'))
    this.errors = errors
    this.code = errors[0]?.extensions?.code || ''
    this.rule = errors[0]?.extensions?.rule || ''
  }
}

function expired(message) {
  const notice = `登录已失效：${message || '令牌无效、已吊销或已过期'}。请重新粘贴有效令牌登录。`
  // Leave the page first, then forget the caller: the page being left still reads it.
  router.push({ name: 'login' }).finally(() => signOut(notice))
}

/** Run one operation; `partial` returns `{ data, errors }` instead of throwing on field errors. */
export async function gql(query, variables = {}, { partial = false, token = session.token } = {}) {
  let res
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    })
  } catch (e) {
    throw new GqlError([{ message: `无法连接服务器：${e.message}` }])
  }
  let body
  try {
    body = await res.json()
  } catch {
    throw new GqlError([{ message: `服务器返回 HTTP ${res.status}` }])
  }
  const errors = body.errors || []
  const unauth = errors.find((e) => e.extensions?.code === 'UNAUTHENTICATED')
  if (unauth || res.status === 401) {
    if (token === session.token && session.token) expired(unauth?.message)
    throw new GqlError(errors.length ? errors : [{ message: '未登录' }])
  }
  if (partial) return { data: body.data || {}, errors }
  if (errors.length) throw new GqlError(errors)
  return body.data
}

/** Every item of a list connection (`appeals`, `leads`, …), read 100 at a time by cursor. */
export async function gqlAll(field, selection) {
  const items = []
  let after = null
  for (;;) {
    const d = await gql(`query Page($after: String) { ${field}(first: 100, after: $after) { nodes { ${selection} } pageInfo { hasNextPage endCursor } } }`, { after })
    items.push(...d[field].nodes)
    if (!d[field].pageInfo.hasNextPage) return items
    after = d[field].pageInfo.endCursor
  }
}

let client = null
let clientToken = ''
function wsClient() {
  if (!client || clientToken !== session.token) {
    if (client) client.dispose()
    clientToken = session.token
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql/ws`
    client = createClient({ url, connectionParams: { Authorization: `Bearer ${session.token}` }, lazy: true, retryAttempts: 3 })
  }
  return client
}

/** Subscribe; returns the function that stops it. */
export function subscribe(query, variables, onData, onError = () => {}) {
  return wsClient().subscribe(
    { query, variables },
    {
      next: (msg) => (msg.errors ? onError(new GqlError(msg.errors)) : onData(msg.data)),
      error: (e) => onError(e),
      complete: () => {},
    },
  )
}

/** A unique command id for a form submission (idempotent retries). */
export function commandId() {
  const r = crypto.getRandomValues(new Uint8Array(8))
  return 'ui-' + Array.from(r, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Today in China Standard Time, as YYYY-MM-DD. */
export function today() {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
}

/** Download text as a file. */
export function download(name, text, type = 'text/csv;charset=utf-8') {
  const blob = new Blob(['\ufeff' + text], { type })
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(a.href), 1000)
}

export function csv(rows) {
  return rows.map((r) => r.map((v) => {
    const s = v == null ? '' : String(v)
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }).join(',')).join('\n')
}

/** Download a file whose bytes came base64-encoded (an .xlsx workbook from the server). */
export function downloadBase64(name, base64, type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
  const a = document.createElement('a')
  a.href = URL.createObjectURL(new Blob([bytes], { type }))
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(a.href), 1000)
}

/** A picked file's bytes as base64. */
export async function fileBase64(file) {
  const bytes = new Uint8Array(await file.arrayBuffer())
  let text = ''
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(text)
}
