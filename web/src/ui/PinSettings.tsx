/**
 * Setting, changing and removing the PIN or passphrase lock (issue 14,
 * docs/web.md *PIN lock*), and *Lock now*. Removing or changing the PIN
 * needs the current one: someone who finds the device open cannot take the
 * lock off. A bar at the foot of the app opens the panel.
 */
import { useState } from 'preact/hooks'
import { readableError, type ReadableError } from '../errors.js'
import type { PinLock } from '../messenger.js'
import { ErrorDetails } from './ErrorDetails.js'

interface Props {
  pinLock: PinLock
  pinSet: boolean
  onChanged: (pinSet: boolean) => void
  onLockNow: () => void
}

export function PinSettings ({ pinLock, pinSet, onChanged, onLockNow }: Props) {
  const [open, setOpen] = useState(false)
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ReadableError | null>(null)
  const [done, setDone] = useState('')

  const run = (action: () => Promise<void>, nowSet: boolean, said: string) => {
    setBusy(true)
    setError(null)
    setDone('')
    action().then(
      () => { setCurrent(''); setNext(''); setRepeat(''); setBusy(false); setDone(said); onChanged(nowSet) },
      err => { setError(readableError(err)); setBusy(false) }
    )
  }
  const mismatch = next !== repeat
  const save = (event: Event) => {
    event.preventDefault()
    if (mismatch || next === '') return
    run(async () => { await pinLock.set(next, pinSet ? current : undefined) }, true, pinSet ? 'The PIN was changed.' : 'The PIN is set: Dak asks for it when it opens and after a while without use.')
  }
  const remove = () => { run(async () => { await pinLock.remove(current) }, false, 'The PIN was removed.') }
  const input = (testid: string, label: string, value: string, set: (v: string) => void, autocomplete: string) => (
    <label>{label}
      <input type="password" data-testid={testid} value={value} disabled={busy} autocomplete={autocomplete} onInput={e => { set((e.target as HTMLInputElement).value) }} />
    </label>
  )

  return (
    <footer class="pin-bar">
      <button type="button" data-testid="pin-settings-button" aria-expanded={open} onClick={() => { setOpen(!open) }}>PIN lock</button>
      {pinSet && <button type="button" data-testid="lock-now-button" onClick={onLockNow}>Lock now</button>}
      {open && (
        <section class="pin-settings" aria-label="PIN lock" data-testid="pin-settings" data-pin-set={String(pinSet)}>
          <p>{pinSet ? 'This browser is locked by a PIN. To change or remove it, type the current one.' : 'Set a PIN or passphrase (at least 4 characters) that Dak asks for when it opens and after a while without use.'}</p>
          <form onSubmit={save}>
            {pinSet && input('pin-current-input', 'Current PIN', current, setCurrent, 'current-password')}
            {input('pin-new-input', pinSet ? 'New PIN' : 'PIN', next, setNext, 'new-password')}
            {input('pin-repeat-input', 'Repeat it', repeat, setRepeat, 'new-password')}
            {mismatch && repeat !== '' && <p data-testid="pin-mismatch">The two PINs are not the same.</p>}
            <button type="submit" class="primary" data-testid="pin-set-button" disabled={busy || next === '' || mismatch}>{pinSet ? 'Change PIN' : 'Set PIN'}</button>
            {pinSet && <button type="button" data-testid="pin-remove-button" disabled={busy || current === ''} onClick={remove}>Remove PIN</button>}
          </form>
          {done !== '' && <p role="status" data-testid="pin-settings-done">{done}</p>}
          {error !== null && (
            <div role="alert" data-testid="pin-settings-error" data-error-name={error.name}>
              <p>{error.text}</p>
              <ErrorDetails detail={error.detail} />
            </div>
          )}
        </section>
      )}
    </footer>
  )
}
