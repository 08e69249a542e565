// A page's loading flag, and the spinner it shows only once a load has taken SPINNER_DELAY ms:
// a quick load draws its result without a spinner flashing over it and fading out after it.
import { onScopeDispose, ref, watch } from 'vue'

export const SPINNER_DELAY = 200

// Answers shown in the order they were asked for: `const ask = latest()`, then each load takes
// `const mine = ask()` and applies its answer only while `mine()` holds. An earlier request
// answered later is dropped: a past date's dashboards folded on the server while a later date
// answered at once, another unit's cadres listed after the unit was changed.
export function latest() {
  let last = 0
  return () => {
    const ticket = ++last
    return () => ticket === last
  }
}

export function useLoading(initial = false) {
  const loading = ref(initial)
  const spinner = ref(false)
  let timer
  const follow = (on) => {
    clearTimeout(timer)
    if (on) timer = setTimeout(() => { spinner.value = true }, SPINNER_DELAY)
    else spinner.value = false
  }
  watch(loading, follow)
  follow(initial)
  onScopeDispose(() => clearTimeout(timer))
  return { loading, spinner }
}
