/**
 * First run in a browser: the officer enrols this device with the invite
 * their department IT issued, typed in or opened as a link. A code from a
 * link is filled in but not submitted by itself, so opening a link someone
 * sent cannot silently enrol the device with a department it did not mean to.
 */
import { useEffect, useState } from 'preact/hooks'
import { readableError } from '../errors.js'
import { inviteFromHash, normaliseInviteInput } from '../invite.js'

interface Props {
  enrol: (inviteUrlOrCode: string) => Promise<void>
  /** Invite code taken from the address when the app started. */
  initialCode: string
  onEnrolled: () => void
}

export function EnrolScreen ({ enrol, initialCode, onEnrolled }: Props) {
  const [code, setCode] = useState(initialCode)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  // An invite link pasted into the address bar of an open tab only changes the fragment.
  useEffect(() => {
    const onHashChange = (): void => {
      const fromLink = inviteFromHash(location.hash)
      if (fromLink !== null) setCode(fromLink)
    }
    window.addEventListener('hashchange', onHashChange)
    return () => { window.removeEventListener('hashchange', onHashChange) }
  }, [])

  const invite = normaliseInviteInput(code)

  const submit = (event: Event): void => {
    event.preventDefault()
    if (invite === '' || busy) return
    setBusy(true)
    setError(null)
    enrol(invite).then(onEnrolled, err => {
      setError(readableError(err).text)
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
          onInput={e => { setCode(e.currentTarget.value) }}
          autocomplete="off"
          autocapitalize="off"
          spellcheck={false}
          aria-describedby={error !== null ? 'enrol-error' : undefined}
          aria-invalid={error !== null}
        />
        <button type="submit" class="primary" data-testid="enrol-button" disabled={busy || invite === ''}>
          {busy ? 'Enrolling…' : 'Enrol'}
        </button>
      </form>
      {error !== null && <p id="enrol-error" class="form-error" role="alert" data-testid="enrol-error">{error}</p>}
    </main>
  )
}
