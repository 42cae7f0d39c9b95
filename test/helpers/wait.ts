/**
 * Wait until `check` holds, re-checking whenever `subscribe` reports a change
 * (and at a short bounded interval, for state with no event). Fails with
 * `what` after `timeoutMs`: a deadline, never a sleep standing in for an event.
 */
export async function waitFor<T> (what: string, check: () => T | undefined | false | Promise<T | undefined | false>, options: { timeoutMs?: number, subscribe?: (wake: () => void) => () => void } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000)
  let wake: () => void = () => {}
  const unsubscribe = options.subscribe?.(() => { wake() }) ?? (() => {})
  try {
    for (;;) {
      const value = await check()
      if (value !== undefined && value !== false) return value
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`timed out waiting for ${what}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100))
        wake = () => { clearTimeout(timer); resolve() }
      })
    }
  } finally {
    unsubscribe()
  }
}
