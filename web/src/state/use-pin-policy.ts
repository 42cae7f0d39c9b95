/**
 * The department's PIN policy for the open messenger (issue 14,
 * state/pin-policy.ts), read from the device store when it opens and again
 * every second: the department's value arrives over /dak/settings after the
 * device connects, and the app must follow it without a reload. Undefined
 * until the first read: the app shows nothing of the device until then.
 */
import { useEffect, useState } from 'preact/hooks'
import type { Messenger, PinLock } from '../messenger.js'
import type { PinPolicy } from './pin-policy.js'

const READ_EVERY_MS = 1_000

export function usePinPolicy (messenger: Messenger | null, pinLock: PinLock | undefined): PinPolicy | undefined {
  const [policy, setPolicy] = useState<PinPolicy | undefined>(undefined)
  useEffect(() => {
    setPolicy(undefined)
    if (messenger === null || pinLock === undefined) return
    let stopped = false
    let reading = false
    const read = () => {
      if (stopped || reading) return
      reading = true
      pinLock.policy(messenger).then(
        (next) => {
          reading = false
          // a new object only when it changed: no re-render every second
          if (!stopped) setPolicy(before => before?.requirePin === next.requirePin && before.maxLockAfterMs === next.maxLockAfterMs ? before : next)
        },
        // after locking (or unmounting) the store is closing: a failed read then says nothing
        (err: unknown) => { reading = false; if (!stopped) console.error('Dak: reading the department\'s PIN policy failed', err) }
      )
    }
    read()
    const timer = setInterval(read, READ_EVERY_MS)
    return () => { stopped = true; clearInterval(timer) }
  }, [messenger, pinLock])
  return policy
}
