/**
 * Issue 14, PIN policy (docs/web.md): the department requires a PIN lock on
 * every browser and this one has none. Nothing of the device is shown until
 * the officer sets one; the messenger stays open behind this screen, so
 * messages keep arriving and are stored (sealed) meanwhile.
 */
import { useState } from 'preact/hooks'
import { readableError, type ReadableError } from '../errors.js'
import type { PinLock } from '../messenger.js'
import { ErrorDetails } from './ErrorDetails.js'

export function PinRequiredScreen ({ pinLock, onSet }: { pinLock: PinLock, onSet: () => void }) {
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ReadableError | null>(null)
  const mismatch = next !== repeat

  const submit = (event: Event) => {
    event.preventDefault()
    if (busy || next === '' || mismatch) return
    setBusy(true)
    setError(null)
    pinLock.set(next).then(
      () => { setBusy(false); onSet() },
      err => { setError(readableError(err)); setBusy(false) }
    )
  }

  return (
    <main class="splash" data-testid="pin-required-screen">
      <h1 tabIndex={-1}>Set a PIN to use Dak</h1>
      <p>Your department requires a PIN or passphrase on every browser. Choose one with at least 4 characters: Dak asks for it when it opens and after a while without use.</p>
      <form class="lock-form" onSubmit={submit}>
        <label for="required-pin">PIN or passphrase</label>
        <input id="required-pin" type="password" autocomplete="new-password" data-testid="required-pin-input" value={next} disabled={busy}
          onInput={e => { setNext((e.target as HTMLInputElement).value) }} autoFocus />
        <label for="required-pin-repeat">Repeat it</label>
        <input id="required-pin-repeat" type="password" autocomplete="new-password" data-testid="required-pin-repeat-input" value={repeat} disabled={busy}
          onInput={e => { setRepeat((e.target as HTMLInputElement).value) }} />
        {mismatch && repeat !== '' && <p data-testid="required-pin-mismatch">The two PINs are not the same.</p>}
        <button type="submit" class="primary" data-testid="required-pin-button" disabled={busy || next === '' || mismatch}>{busy ? 'Setting…' : 'Set PIN'}</button>
      </form>
      {error !== null && (
        <div role="alert" data-testid="required-pin-error" data-error-name={error.name}>
          <p>{error.text}</p>
          <ErrorDetails detail={error.detail} />
        </div>
      )}
    </main>
  )
}
