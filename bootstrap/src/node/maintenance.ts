/**
 * The node's periodic chores (retention purge, expired invites, renewing its
 * own certificate), one at a time on an unref'd timer, so a pending chore
 * never keeps the process alive and stop() waits for the one running.
 */

/** Once an hour: retention is counted in days, invites in hours. */
export const DEFAULT_MAINTENANCE_INTERVAL_MS = 60 * 60 * 1000

export interface Maintenance {
  /** Run the chores now (also what the timer does); resolves when done. */
  run: () => Promise<void>
  stop: () => Promise<void>
}

export function startMaintenance (chores: Array<() => Promise<unknown>>, intervalMs: number, onError: (err: unknown) => void): Maintenance {
  let running: Promise<void> = Promise.resolve()
  let stopped = false
  const run = async (): Promise<void> => {
    running = running.then(async () => {
      for (const chore of chores) {
        if (stopped) return
        try {
          await chore()
        } catch (err) {
          onError(err)
        }
      }
    })
    await running
  }
  const timer = setInterval(() => { void run() }, intervalMs)
  timer.unref()
  return {
    run,
    stop: async () => {
      stopped = true
      clearInterval(timer)
      await running
    }
  }
}
