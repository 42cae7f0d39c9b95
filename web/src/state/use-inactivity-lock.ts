/**
 * Locks the app after the department's period without use (issue 14,
 * docs/web.md *PIN lock*), only while a PIN is set: without one there is
 * nothing to unlock with. Use is a key, a pointer, a touch or the wheel. The
 * check compares wall-clock times every second (and when the tab becomes
 * visible), so a background tab whose timers the browser slowed still locks
 * as soon as it runs again. The period is read again each check: the
 * department's value arrives after the device connects.
 */
import { useEffect } from 'preact/hooks'
import type { Messenger, PinLock } from '../messenger.js'

const CHECK_EVERY_MS = 1_000
const USE_EVENTS = ['keydown', 'pointerdown', 'touchstart', 'wheel'] as const

export function useInactivityLock (messenger: Messenger | null, pinLock: PinLock | undefined, pinSet: boolean, lock: () => void): void {
  useEffect(() => {
    if (messenger === null || pinLock === undefined || !pinSet) return
    let lastUse = Date.now()
    let locked = false
    let checking = false
    const used = () => { lastUse = Date.now() }
    const check = () => {
      if (locked || checking) return
      checking = true
      pinLock.lockAfterMs(messenger).then(
        (period) => {
          checking = false
          if (!locked && Date.now() - lastUse >= period) { locked = true; lock() }
        },
        // after locking (or unmounting) the store is closing: a failed read then says nothing
        (err: unknown) => { checking = false; if (!locked) console.error('Dak: reading the inactivity lock period failed', err) }
      )
    }
    for (const name of USE_EVENTS) window.addEventListener(name, used, { capture: true, passive: true })
    document.addEventListener('visibilitychange', check)
    const timer = setInterval(check, CHECK_EVERY_MS)
    return () => {
      locked = true
      clearInterval(timer)
      document.removeEventListener('visibilitychange', check)
      for (const name of USE_EVENTS) window.removeEventListener(name, used, { capture: true })
    }
  }, [messenger, pinLock, pinSet, lock])
}
