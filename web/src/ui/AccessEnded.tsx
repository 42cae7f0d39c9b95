/**
 * This device may no longer take part: its department withdrew its access
 * (revoked its certificate) or the access expired. A full page says so first,
 * because everything else on screen would otherwise look as if it still
 * worked; past messages stay readable behind it, with sending switched off.
 */
import type { LostAccess } from '../state/access.js'

const HEADINGS: Record<LostAccess, string> = {
  revoked: 'This device can no longer use Dak',
  expired: 'This device’s access has expired'
}

const EXPLANATIONS: Record<LostAccess, string> = {
  revoked: 'This device’s access was withdrawn by your department, so it can no longer send or receive messages. Ask your department IT: they can tell you why, and enrol a new device for you if you need one.',
  expired: 'This device’s access has expired, so it can no longer send or receive messages. Ask your department IT to renew it.'
}

/** One line at the top of the read-only app, after the officer chose to read past messages. */
export function accessEndedLine (access: LostAccess): string {
  return access === 'revoked'
    ? 'This device’s access was withdrawn by your department. You can read past messages; sending is switched off. Ask your department IT.'
    : 'This device’s access has expired. You can read past messages; sending is switched off. Ask your department IT to renew it.'
}

interface Props {
  access: LostAccess
  /** Absent when the device could not even be opened: there is no history to show then. */
  onReadHistory?: () => void
}

export function AccessEndedNotice ({ access, onReadHistory }: Props) {
  return (
    <main class="splash access-ended" data-testid="access-ended" data-access={access}>
      <h1>{HEADINGS[access]}</h1>
      <p role="alert" data-testid="access-ended-text">{EXPLANATIONS[access]}</p>
      {onReadHistory !== undefined && (
        <>
          <p class="muted">Messages already on this device stay here and can still be read.</p>
          <button type="button" data-testid="read-history-button" onClick={onReadHistory}>Read past messages</button>
        </>
      )}
    </main>
  )
}

export function AccessEndedBar ({ access }: { access: LostAccess }) {
  return <p class="access-ended-bar" role="status" data-testid="access-ended-bar">{accessEndedLine(access)}</p>
}
