// The unit names, read once per tab (every role signed in may list units).
import { ref } from 'vue'
import { gql } from './api.js'

export const unitNames = ref({})
let loading = null
export function loadUnits() {
  loading ||= gql('{ units { unitId name } }')
    .then((d) => { unitNames.value = Object.fromEntries(d.units.map((u) => [u.unitId, u.name])) })
    .catch(() => { loading = null })
  return loading
}
export const unitName = (id) => (id ? unitNames.value[id] || id : '—')
