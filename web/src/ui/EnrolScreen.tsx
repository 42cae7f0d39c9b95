/**
 * First run in a browser: the officer enrols this device with the invite
 * their department IT issued, typed in or opened as a link. A link fills in
 * the readable code (DAK-XXXX-…) and says whom the invite is for, but is not
 * submitted by itself, so opening a link someone sent cannot silently enrol
 * the device with a department it did not mean to.
 */
import { useCallback, useEffect, useState } from 'preact/hooks'
import { readableError, type ReadableError } from '../errors.js'
import { INVITE_URL_PREFIX, inviteFromHash, normaliseInviteInput } from '../invite.js'
import type { InviteView } from '../invite-ticket.js'
import { ErrorDetails } from './ErrorDetails.js'
import { QrScanner } from './QrScanner.js'

interface Props {
  /** `onPending`: called once if the department's authority has not signed the device yet (the promise then waits for it). */
  enrol: (inviteUrlOrCode: string, onPending: () => void) => Promise<void>
  /** What an invite link carried in the address when the app started ('' when none). */
  initialInvite: string
  onEnrolled: () => void
}

/** A typed code put in a link by hand, rather than the ticket an invite link carries. */
function looksLikeCode (text: string): boolean {
  return text.length <= 64 && /^[A-Za-z0-9\s-]+$/.test(text)
}

export function EnrolScreen ({ enrol, initialInvite, onEnrolled }: Props) {
  const [code, setCode] = useState('')
  const [invitee, setInvitee] = useState<InviteView | null>(null)
  const [reading, setReading] = useState(initialInvite !== '')
  const [busy, setBusy] = useState(false)
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<ReadableError | null>(null)
  const [scanning, setScanning] = useState(false)

  const fillFromLink = useCallback((fromLink: string) => {
    setError(null)
    if (looksLikeCode(fromLink)) {
      setCode(fromLink)
      setInvitee(null)
      setReading(false)
      return
    }
    setReading(true)
    import('../invite-ticket.js').then(({ readInviteTicket }) => {
      const view = readInviteTicket(fromLink)
      setCode(view.code)
      setInvitee(view)
    }).catch((err: unknown) => {
      // A damaged link: say so, rather than fill the field with what cannot work.
      setCode('')
      setInvitee(null)
      setError(readableError(err))
    }).finally(() => { setReading(false) })
  }, [])

  useEffect(() => { if (initialInvite !== '') fillFromLink(initialInvite) }, [initialInvite, fillFromLink])

  // An invite link pasted into the address bar of an open tab only changes the fragment.
  useEffect(() => {
    const onHashChange = (): void => {
      const fromLink = inviteFromHash(location.hash)
      if (fromLink === null) return
      history.replaceState(history.state, '', location.pathname + location.search)
      fillFromLink(fromLink)
    }
    window.addEventListener('hashchange', onHashChange)
    return () => { window.removeEventListener('hashchange', onHashChange) }
  }, [fillFromLink])

  // a QR code read with the camera: the link-code QR another device of the officer shows (dak:invite/…), or an invite link
  const scanned = useCallback((text: string) => {
    setScanning(false)
    if (text.startsWith(INVITE_URL_PREFIX)) { fillFromLink(text.slice(INVITE_URL_PREFIX.length)); return }
    let fromUrl: string | null = null
    try {
      fromUrl = inviteFromHash(new URL(text).hash)
    } catch {
      // not a URL: a code, or something else fillFromLink says it cannot use
    }
    fillFromLink(fromUrl ?? text)
  }, [fillFromLink])
  const scanFailed = useCallback((err: unknown) => { setScanning(false); setError(readableError(err)) }, [])
  const stopScanning = useCallback(() => { setScanning(false) }, [])

  const invite = normaliseInviteInput(code)
  // Once the officer changes the code, the link's "for whom" no longer applies.
  const shownInvitee = invitee !== null && normaliseInviteInput(invitee.code) === invite ? invitee : null

  const submit = (event: Event): void => {
    event.preventDefault()
    if (invite === '' || busy || reading) return
    setBusy(true)
    setError(null)
    setPending(false)
    enrol(invite, () => { setPending(true) }).then(onEnrolled, err => {
      setError(readableError(err))
      setPending(false)
      setBusy(false)
    })
  }

  return (
    <main class="enrol">
      <h1>Dak</h1>
      <h2>Enrol this device</h2>
      <p>
        Your department IT gives you an invite, either as a link or as a code. Opening the link fills the code in below.
        Enrolling gives this browser its own keys; your messages stay encrypted between devices.
      </p>
      <form onSubmit={submit}>
        <label for="invite-code">Invite code or link</label>
        <input
          id="invite-code"
          data-testid="enrol-code-input"
          type="text"
          value={code}
          placeholder={reading ? 'Reading the invite link…' : 'DAK-XXXX-XXXX-XXXX-XXXX-X'}
          onInput={e => { setCode(e.currentTarget.value) }}
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          aria-describedby={[shownInvitee !== null ? 'enrol-invitee' : '', error !== null ? 'enrol-error' : ''].filter(id => id !== '').join(' ') || undefined}
          aria-invalid={error !== null}
        />
        {shownInvitee !== null && (
          <p id="enrol-invitee" class="muted" data-testid="enrol-invitee">
            Invite for {shownInvitee.displayName}, {shownInvitee.title} ({shownInvitee.department})
          </p>
        )}
        <button type="submit" class="primary" data-testid="enrol-button" disabled={busy || reading || invite === ''}>
          {busy ? 'Enrolling…' : 'Enrol'}
        </button>
        {!scanning && (
          <button type="button" data-testid="enrol-scan-button" disabled={busy} onClick={() => { setError(null); setScanning(true) }}>
            Scan the QR code
          </button>
        )}
      </form>
      {scanning && <QrScanner label="Point the camera at the QR code of the invite, or of the link code your other device shows" onResult={scanned} onCancel={stopScanning} onError={scanFailed} />}
      {pending && (
        <div class="enrol-pending" role="status" data-testid="enrol-pending">
          <p><strong>Waiting for your department to sign this device.</strong></p>
          <p>
            Your department keeps the key that admits new devices on a computer that is not on the network, and signs requests there.
            Your request has reached the department server. Keep this page open: Dak checks every few seconds and opens by itself once it is signed.
            If it takes long, tell your department IT that you are waiting.
          </p>
        </div>
      )}
      {error !== null && (
        <div id="enrol-error" class="form-error" role="alert" data-testid="enrol-error" data-error-name={error.name}>
          <p data-testid="enrol-error-text">{error.text}</p>
          <ErrorDetails detail={error.detail} />
        </div>
      )}
    </main>
  )
}
