// The mutations and their argument types, read from the server's schema (introspection), so every command has a form.
import { gql } from './api.js'

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }'
const Q = `{ __schema {
  mutationType { fields { name description args { name description defaultValue type { ${TYPE_REF} } } type { ${TYPE_REF} } } }
  types { kind name description enumValues { name description } inputFields { name description defaultValue type { ${TYPE_REF} } } }
} }`

let cached = null
export function loadSchema() {
  cached ||= gql(Q).then((d) => {
    const types = Object.fromEntries(d.__schema.types.map((t) => [t.name, t]))
    return { mutations: d.__schema.mutationType.fields, types }
  }).catch((e) => { cached = null; throw e })
  return cached
}

/** `String!`, `[Grade!]!`… from a type reference. */
export function typeString(t) {
  if (t.kind === 'NON_NULL') return `${typeString(t.ofType)}!`
  if (t.kind === 'LIST') return `[${typeString(t.ofType)}]`
  return t.name
}
/** The named type under NON_NULL and LIST wrappers. */
export function named(t) {
  while (t.ofType) t = t.ofType
  return t
}
export const required = (t) => t.kind === 'NON_NULL'
export const unwrapNull = (t) => (t.kind === 'NON_NULL' ? t.ofType : t)

/** The first line of a description (the Chinese name where the schema gives one). */
export const short = (d) => (d || '').split('\n')[0].replace(/[.。]$/, '')

/** Drop empty optional values so that the server's defaults apply. */
export function clean(value, t, types, hasDefault = false) {
  const inner = unwrapNull(t)
  if (value === '' || value === undefined || value === null) return required(t) && !hasDefault ? value ?? null : undefined
  if (inner.kind === 'LIST') {
    const items = (Array.isArray(value) ? value : []).map((v) => clean(v, inner.ofType, types)).filter((v) => v !== undefined)
    return items
  }
  if (inner.kind === 'INPUT_OBJECT') {
    const fields = types[inner.name].inputFields
    const out = {}
    for (const f of fields) {
      const v = clean(value[f.name], f.type, types, f.defaultValue != null)
      if (v !== undefined) out[f.name] = v
    }
    return Object.keys(out).length || required(t) ? out : undefined
  }
  if (inner.kind === 'SCALAR' && inner.name === 'JSON' && typeof value === 'string') return JSON.parse(value)
  return value
}

/** A result selection for the mutation's return type. */
export function selection(t, types) {
  const n = named(t)
  if (n.kind === 'SCALAR' || n.kind === 'ENUM') return ''
  if (n.name === 'CommandResult') return '{ streamId streamVersion position deduplicated events { type } }'
  return '{ __typename }'
}

/** The document of one mutation with every argument as a variable. */
export function mutationDocument(field, types) {
  const vars = field.args.map((a) => `$${a.name}: ${typeString(a.type)}`).join(', ')
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ')
  return `mutation ${field.name[0].toUpperCase() + field.name.slice(1)}${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selection(field.type, types)} }`
}
