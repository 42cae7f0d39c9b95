/**
 * The browser client's entry: mounts the UI over a Platform (enrolment and a
 * Messenger). Nothing here knows how the messenger works, so the real browser
 * messenger, a worker-backed one or a test double can be passed in.
 */
import { render } from 'preact'
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { errorParts, readableError, type ReadableError } from './errors.js'
import { inviteFromHash } from './invite.js'
import type { Messenger, Platform } from './messenger.js'
import { accessOfError } from './state/access.js'
import { AccessEndedNotice } from './ui/AccessEnded.js'
import { EnrolScreen } from './ui/EnrolScreen.js'
import { ErrorDetails } from './ui/ErrorDetails.js'
import { LockScreen, type LockReason } from './ui/LockScreen.js'
import { AutoDownloadSetting } from './ui/AutoDownloadSetting.js'
import { PinSettings } from './ui/PinSettings.js'
import { PinRequiredScreen } from './ui/PinRequiredScreen.js'
import { mustSetPin } from './state/pin-policy.js'
import { usePinPolicy } from './state/use-pin-policy.js'
import { Shell } from './ui/Shell.js'
import { useInactivityLock } from './state/use-inactivity-lock.js'

type Phase =
  | { name: 'opening' }
  | { name: 'enrol' }
  | { name: 'ready', messenger: Messenger }
  | { name: 'locked', reason: LockReason }
  | { name: 'failed', error: ReadableError }

/**
 * Takes an invite out of the address (`#invite=…`) and removes it, so a
 * one-time invite does not stay in the address bar, the history or a bookmark.
 */
function takeInviteFromLocation (): string {
  const code = inviteFromHash(location.hash)
  if (code !== null) history.replaceState(history.state, '', location.pathname + location.search)
  return code ?? ''
}

function Boot ({ platform }: { platform: Platform }) {
  const [phase, setPhase] = useState<Phase>({ name: 'opening' })
  const [invite] = useState(takeInviteFromLocation)
  // undefined until read: with a PIN policy the app must not guess (state/pin-policy.ts)
  const [pinSet, setPinSet] = useState<boolean | undefined>(undefined)
  // the last messenger's stop: opening again waits for it (the tab lock and the store are let go there)
  const stopping = useRef<Promise<void>>(Promise.resolve())

  const open = useCallback(() => {
    setPhase({ name: 'opening' })
    stopping.current.then(async () => await platform.openMessenger()).then(
      messenger => { setPhase(messenger === null ? { name: 'enrol' } : { name: 'ready', messenger }) },
      err => { setPhase(errorParts(err).name === 'PinRequiredError' ? { name: 'locked', reason: 'start' } : { name: 'failed', error: readableError(err) }) }
    )
  }, [platform])

  useEffect(open, [open])

  /** The lock screen's unlock: rejects (WrongPinError, PinAttemptsDelayError) and the screen says why. */
  const unlock = useCallback(async (pin: string) => {
    await stopping.current
    const messenger = await platform.openMessenger(pin)
    setPhase(messenger === null ? { name: 'enrol' } : { name: 'ready', messenger })
  }, [platform])

  // This component opened the messenger, so it stops it when the app is unmounted or locks.
  const messenger = phase.name === 'ready' ? phase.messenger : null
  useEffect(() => {
    if (messenger === null) return
    return () => { stopping.current = messenger.stop().catch((err: unknown) => { console.error('Stopping the messenger failed', err) }) }
  }, [messenger])

  useEffect(() => {
    if (messenger === null || platform.pinLock === undefined) return
    platform.pinLock.isSet().then(setPinSet, (err: unknown) => { console.error('Dak: reading whether a PIN is set failed', err); setPinSet(false) })
  }, [messenger, platform])
  // locking stops the messenger (the effect above): nothing decrypted stays on screen or in the page's device
  const lock = useCallback((reason: LockReason) => { setPhase({ name: 'locked', reason }) }, [])
  const lockInactive = useCallback(() => { lock('inactive') }, [lock])
  useInactivityLock(messenger, platform.pinLock, pinSet === true, lockInactive)
  const policy = usePinPolicy(messenger, platform.pinLock)

  // locked: nothing of the device is open, but a wipe order must still be obeyed (docs/web.md, *Remote wipe while locked*)
  const locked = phase.name === 'locked'
  useEffect(() => {
    if (!locked || platform.watchWipeWhileLocked === undefined) return
    return platform.watchWipeWhileLocked(() => { location.reload() })
  }, [locked, platform])

  switch (phase.name) {
    case 'opening':
      return <main class="splash" aria-busy="true"><p role="status">Opening Dak…</p></main>
    case 'enrol': {
      const wiped = platform.wipedNotice?.() ?? null
      return (
        <>
          {wiped !== null && (
            <p class="access-ended-bar" role="alert" data-testid="wiped-notice">
              {`Your department (${wiped.department}) had this device erased on ${new Date(wiped.orderedAt).toLocaleDateString()}: its messages and keys were deleted from this browser. Ask your department IT for a new invite if you need Dak here again.`}
            </p>
          )}
          <EnrolScreen enrol={async (code, onPending) => { await platform.enrol(code, { onPending }) }} initialInvite={invite} onEnrolled={open} />
        </>
      )
    }
    case 'failed': {
      // A device refused at opening because its access was withdrawn gets the same notice as one told while open.
      const access = accessOfError(phase.error.name)
      if (access !== null) return <AccessEndedNotice access={access} />
      return (
        <main class="splash">
          <h1>Dak could not start</h1>
          <div role="alert">
            <p data-testid="startup-error">{phase.error.text}</p>
            <ErrorDetails detail={phase.error.detail} />
          </div>
          <button type="button" class="primary" data-testid="retry-button" onClick={open}>Try again</button>
        </main>
      )
    }
    case 'locked':
      return <LockScreen reason={phase.reason} unlock={unlock} />
    case 'ready':
      if (platform.pinLock !== undefined) {
        // nothing of the device until the policy and the PIN state are known; under the policy, nothing until a PIN is set
        if (policy === undefined || pinSet === undefined) return <main class="splash" aria-busy="true"><p role="status">Opening Dak…</p></main>
        if (mustSetPin(policy, pinSet)) return <PinRequiredScreen pinLock={platform.pinLock} onSet={() => { setPinSet(true) }} />
      }
      return (
        <div class="app-frame">
          <Shell messenger={phase.messenger} calls={platform.calls?.(phase.messenger)} />
          <AutoDownloadSetting messenger={phase.messenger} />
          {platform.pinLock !== undefined && policy !== undefined && <PinSettings pinLock={platform.pinLock} messenger={phase.messenger} policy={policy} pinSet={pinSet === true} onChanged={setPinSet} onLockNow={() => { lock('manual') }} />}
        </div>
      )
  }
}

/**
 * Renders Dak into `root`. Returns a function that unmounts it and stops the
 * messenger it opened.
 */
export function mountApp (root: HTMLElement, platform: Platform): () => void {
  render(<Boot platform={platform} />, root)
  return () => { render(null, root) }
}
