// 公民身份号码 (GB 11643-1999) checked as typed: the same rules the domain applies (crates/domain/src/idcard.rs).
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

/** '' when the number is valid (or empty), else what is wrong, in Chinese. */
export function idNumberProblem(input) {
  const n = (input || '').trim().toUpperCase()
  if (!n) return ''
  if (!/^\d{0,17}[\dX]?$/.test(n)) return '只能是数字，最后一位可为 X'
  if (n.length < 18) return `还差 ${18 - n.length} 位（共 18 位）`
  if (!/^[1-8]/.test(n)) return `行政区划代码 ${n.slice(0, 6)} 不存在`
  const y = +n.slice(6, 10), m = +n.slice(10, 12), d = +n.slice(12, 14)
  const date = new Date(Date.UTC(y, m - 1, d))
  if (y < 1900 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return `出生日期 ${n.slice(6, 14)} 不是有效日期`
  const sum = WEIGHTS.reduce((s, w, i) => s + w * +n[i], 0)
  const expected = CHECK[sum % 11]
  if (n[17] !== expected) return `校验码应为 ${expected}，不是 ${n[17]}`
  return ''
}

/** Birth date and gender read from a valid number. */
export function idNumberFacts(input) {
  const n = (input || '').trim().toUpperCase()
  if (n.length !== 18 || idNumberProblem(n)) return null
  return { birthDate: `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`, gender: +n[16] % 2 ? 'MALE' : 'FEMALE' }
}

/** A valid number for a birth date and a sequence (used to fill examples). */
export function idNumberFor(region, birth, seq) {
  const first17 = `${region}${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`
  return first17 + CHECK[WEIGHTS.reduce((s, w, i) => s + w * +first17[i], 0) % 11]
}
