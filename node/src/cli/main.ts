import { runDak } from './dispatch.js'

/**
 * Entry point of `dak` (npm run dak, the bin launcher dak.mjs, tests).
 * SIGINT/SIGTERM abort the command's signal so the device stops cleanly (a
 * `dak listen` exits 0); another signal a while later exits at once.
 */

/**
 * Ctrl-C reaches every process of the terminal's process group, and wrappers
 * (npm run, tsx, the launcher) forward it as well, so one keypress can arrive
 * two or three times within milliseconds: only a signal this long after the
 * first means "stop now".
 */
const FORCE_AFTER_MS = 1000

// Everything dak creates (the store's files, key file, config, socket) is its owner's alone: 0600 files, 0700 directories.
process.umask(0o077)

const controller = new AbortController()
let firstSignalAt: number | undefined
const stop = (): void => {
  if (firstSignalAt == null) {
    firstSignalAt = Date.now()
    controller.abort()
  } else if (Date.now() - firstSignalAt > FORCE_AFTER_MS) {
    process.exit(130)
  }
}
// A background task of the engine that fails after the device stopped (a status
// refresh racing the store's close) must not crash a command that is finishing
// cleanly: say so on stderr and let the command's own outcome decide the exit code.
process.on('unhandledRejection', (err) => {
  process.stderr.write(`warning: a background task failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`)
})
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
const code = await runDak(process.argv.slice(2), process.env, controller.signal)
// libp2p and mDNS can leave sockets and timers behind after a clean stop: exit explicitly
process.exit(code)
