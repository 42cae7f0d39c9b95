/**
 * The browser client's entry: mounts the UI over a Platform (enrolment and a
 * Messenger). Nothing here knows how the messenger works, so the real browser
 * messenger, a worker-backed one or a test double can be passed in.
 */
import { render } from 'preact'
import { useCallback, useEffect, useState } from 'preact/hooks'
import { readableError, type ReadableError } from './errors.js'
import { inviteFromHash } from './invite.js'
import type { Messenger, Platform } from './messenger.js'
import { accessOfError } from './state/access.js'
import { AccessEndedNotice } from './ui/AccessEnded.js'
import { EnrolScreen } from './ui/EnrolScreen.js'
import { ErrorDetails } from './ui/ErrorDetails.js'
import { Shell } from './ui/Shell.js'

type Phase =
  | { name: 'opening' }
  | { name: 'enrol' }
  | { name: 'ready', messenger: Messenger }
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

  const open = useCallback(() => {
    setPhase({ name: 'opening' })
    platform.openMessenger().then(
      messenger => { setPhase(messenger === null ? { name: 'enrol' } : { name: 'ready', messenger }) },
      err => { setPhase({ name: 'failed', error: readableError(err) }) }
    )
  }, [platform])

  useEffect(open, [open])

  // This component opened the messenger, so it stops it when the app is unmounted.
  const messenger = phase.name === 'ready' ? phase.messenger : null
  useEffect(() => {
    if (messenger === null) return
    return () => { messenger.stop().catch((err: unknown) => { console.error('Stopping the messenger failed', err) }) }
  }, [messenger])

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
          <EnrolScreen enrol={async code => { await platform.enrol(code) }} initialInvite={invite} onEnrolled={open} />
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
    case 'ready':
      return <Shell messenger={phase.messenger} calls={platform.calls?.(phase.messenger)} />
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
