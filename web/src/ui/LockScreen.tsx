/**
 * The lock screen (issue 14, docs/web.md *PIN lock*): shown at start when a
 * PIN is set and after the department's period without use. Nothing of the
 * device is open behind it: the messenger is stopped and the storage key is
 * not held, so there is nothing decrypted to show until the PIN opens it.
 */
import { useState } from 'preact/hooks'
import { readableError, type ReadableError } from '../errors.js'
import { ErrorDetails } from './ErrorDetails.js'

export type LockReason = 'start' | 'inactive' | 'manual'

export function LockScreen ({ reason, unlock }: { reason: LockReason, unlock: (pin: string) => Promise<void> }) {
  const [pin, setPin] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ReadableError | null>(null)
  const [retryAt, setRetryAt] = useState(0)
  // tries answered so far: a test (and a screen reader's log) can tell one refusal from the next
  const [tries, setTries] = useState(0)

  const submit = (event: Event) => {
    event.preventDefault()
    if (pin === '' || busy) return
    setBusy(true)
    setError(null)
    unlock(pin).then(
      () => { setPin('') },
      err => {
        setError(readableError(err))
        // PinAttemptsDelayError says when the next try is allowed (platform/pin-attempts.ts)
        setRetryAt(typeof (err as { retryAt?: unknown }).retryAt === 'number' ? (err as { retryAt: number }).retryAt : 0)
        setPin('')
        setBusy(false)
        setTries(n => n + 1)
      }
    )
  }

  return (
    <main class="splash" data-testid="lock-screen" data-reason={reason} data-tries={tries}>
      <h1 tabIndex={-1}>Dak is locked</h1>
      <p>{reason === 'inactive' ? 'Dak locked itself because it was not used for a while, as your department asks.' : 'Type your PIN or passphrase to open your messages.'}</p>
      <form class="lock-form" onSubmit={submit}>
        <label for="lock-pin">PIN or passphrase</label>
        <input id="lock-pin" type="password" autocomplete="current-password" data-testid="lock-pin-input" value={pin} disabled={busy}
          onInput={e => { setPin((e.target as HTMLInputElement).value) }} autoFocus />
        <button type="submit" class="primary" data-testid="unlock-button" disabled={busy || pin === ''}>{busy ? 'Unlocking…' : 'Unlock'}</button>
      </form>
      {error !== null && (
        <div role="alert" data-testid="lock-error" data-error-name={error.name}>
          <p data-testid="lock-error-text">{error.text}</p>
          {retryAt > 0 && <p data-testid="lock-retry-at" data-retry-at={retryAt}>{`You can try again at ${new Date(retryAt).toLocaleTimeString()}.`}</p>}
          <ErrorDetails detail={error.detail} />
        </div>
      )}
    </main>
  )
}
