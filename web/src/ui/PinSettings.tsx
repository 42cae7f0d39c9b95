/**
 * Setting, changing and removing the PIN or passphrase lock (issue 14,
 * docs/web.md *PIN lock*), and *Lock now*. Removing or changing the PIN
 * needs the current one: someone who finds the device open cannot take the
 * lock off. A bar at the foot of the app opens the panel.
 */
import { useEffect, useState } from 'preact/hooks'
import { readableError, type ReadableError } from '../errors.js'
import type { Messenger, PinLock } from '../messenger.js'
import { formatMinutes, lockChoices, type PinPolicy } from '../state/pin-policy.js'
import { ErrorDetails } from './ErrorDetails.js'

interface Props {
  pinLock: PinLock
  messenger: Messenger
  /** The department's PIN policy: under it the PIN cannot be removed, and no delay past its longest is offered. */
  policy: PinPolicy
  pinSet: boolean
  onChanged: (pinSet: boolean) => void
  onLockNow: () => void
}

export function PinSettings ({ pinLock, messenger, policy, pinSet, onChanged, onLockNow }: Props) {
  const [open, setOpen] = useState(false)
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ReadableError | null>(null)
  const [done, setDone] = useState('')
  // the officer's own lock delay in ms; '' is the department's
  const [delay, setDelay] = useState('')
  useEffect(() => {
    pinLock.chosenLockAfterMs(messenger).then(ms => { setDelay(ms === undefined ? '' : String(ms)) }, (err: unknown) => { console.error('Dak: reading the lock delay failed', err) })
  }, [pinLock, messenger])

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
  const remove = () => { run(async () => { await pinLock.remove(current, messenger) }, false, 'The PIN was removed.') }
  const chooseDelay = (value: string) => {
    setBusy(true)
    setError(null)
    setDone('')
    pinLock.setLockAfterMs(messenger, value === '' ? undefined : Number(value)).then(
      () => { setDelay(value); setBusy(false); setDone('The lock delay was saved.') },
      err => { setError(readableError(err)); setBusy(false) }
    )
  }
  const choices = lockChoices(policy)
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
        <section class="pin-settings" aria-label="PIN lock" data-testid="pin-settings" data-pin-set={String(pinSet)} data-pin-required={String(policy.requirePin)}>
          <p>{pinSet ? (policy.requirePin ? 'This browser is locked by a PIN, as your department requires. To change it, type the current one.' : 'This browser is locked by a PIN. To change or remove it, type the current one.') : 'Set a PIN or passphrase (at least 4 characters) that Dak asks for when it opens and after a while without use.'}</p>
          <form onSubmit={save}>
            {pinSet && input('pin-current-input', 'Current PIN', current, setCurrent, 'current-password')}
            {input('pin-new-input', pinSet ? 'New PIN' : 'PIN', next, setNext, 'new-password')}
            {input('pin-repeat-input', 'Repeat it', repeat, setRepeat, 'new-password')}
            {mismatch && repeat !== '' && <p data-testid="pin-mismatch">The two PINs are not the same.</p>}
            <button type="submit" class="primary" data-testid="pin-set-button" disabled={busy || next === '' || mismatch}>{pinSet ? 'Change PIN' : 'Set PIN'}</button>
            {/* under the department's policy the PIN stays: no button to remove it (and the platform refuses it too) */}
            {pinSet && !policy.requirePin && <button type="button" data-testid="pin-remove-button" disabled={busy || current === ''} onClick={remove}>Remove PIN</button>}
          </form>
          {pinSet && (
            <label>Lock after this long without use
              <select data-testid="lock-delay-select" value={delay} disabled={busy} onChange={e => { chooseDelay((e.target as HTMLSelectElement).value) }}>
                <option value="">{`As your department sets (${formatMinutes(policy.maxLockAfterMs)})`}</option>
                {choices.map(ms => <option key={ms} value={String(ms)}>{formatMinutes(ms)}</option>)}
              </select>
            </label>
          )}
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
