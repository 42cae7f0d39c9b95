/**
 * Wait until `check` holds, the deadline passes or `signal` aborts. Wakes on
 * the events `subscribe` hooks up, and re-checks every POLL_MS for state that
 * has no event (the outbox size). Resolves true only when `check` held.
 */
const POLL_MS = 250

export async function until (check: () => boolean | Promise<boolean>, options: { deadline: number, signal?: AbortSignal, subscribe?: (wake: () => void) => () => void }): Promise<boolean> {
  let wake: () => void = () => {}
  const unsubscribe = options.subscribe?.(() => { wake() }) ?? (() => {})
  const onAbort = (): void => { wake() }
  options.signal?.addEventListener('abort', onAbort)
  try {
    for (;;) {
      if (await check()) return true
      const left = options.deadline - Date.now()
      if (left <= 0 || options.signal?.aborted === true) return false
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, POLL_MS))
        wake = () => { clearTimeout(timer); resolve() }
      })
    }
  } finally {
    unsubscribe()
    options.signal?.removeEventListener('abort', onAbort)
  }
}

/** Resolves when `signal` aborts (how `dak listen` waits for SIGINT/SIGTERM). */
export async function aborted (signal: AbortSignal): Promise<void> {
  if (signal.aborted) return
  await new Promise<void>((resolve) => { signal.addEventListener('abort', () => { resolve() }, { once: true }) })
}
