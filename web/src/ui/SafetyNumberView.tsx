/**
 * Verifying an officer: both devices show the same 60 digits and QR code
 * when no one is in the middle. Officers compare them in person or over a
 * trusted call before discussing anything sensitive.
 */
import { useCallback, useEffect, useState } from 'preact/hooks'
import { safetyNumberGroups, shortDeviceKey } from '../format.js'
import type { DeviceSummary, SafetyNumber } from '../messenger.js'
import { useContacts } from '../state/use-contacts.js'
import { useApp } from './context.js'
import { QrCode } from './QrCode.js'
import { QrScanner } from './QrScanner.js'
import { ScreenHeader } from './ScreenHeader.js'

export function SafetyNumberView ({ handle }: { handle: string }) {
  const { messenger, reportError, back } = useApp()
  const [safety, setSafety] = useState<SafetyNumber | null>(null)
  const [failed, setFailed] = useState(false)
  const [devices, setDevices] = useState<DeviceSummary[] | null>(null)
  const contacts = useContacts(messenger, reportError)
  const officer = contacts?.find(o => o.handle === handle)
  const name = officer?.displayName ?? `@${handle}`
  // scanning the QR code the other officer's device shows: the numbers compared by the camera, not by eye
  const [scanning, setScanning] = useState(false)
  const [matched, setMatched] = useState<boolean | 'unreadable' | null>(null)
  const scanned = useCallback((payload: string) => {
    setScanning(false)
    messenger.verifySafetyQr(handle, payload).then(setMatched, (err: unknown) => {
      // a QR code of something else (a web address, an invite): not a safety number, and nothing went wrong
      if ((err as { name?: unknown } | null)?.name === 'MalformedInputError') setMatched('unreadable')
      else reportError(err)
    })
  }, [messenger, handle, reportError])
  const scanFailed = useCallback((err: unknown) => { setScanning(false); reportError(err) }, [reportError])
  const stopScanning = useCallback(() => { setScanning(false) }, [])

  useEffect(() => {
    let current = true
    messenger.safetyNumber(handle).then(
      result => { if (current) setSafety(result) },
      err => { if (current) { setFailed(true); reportError(err) } }
    )
    // the number covers every device listed below: a new one changes it
    messenger.devices(handle).then(
      result => { if (current) setDevices(result) },
      err => { if (current) reportError(err) }
    )
    return () => { current = false }
  }, [messenger, handle, reportError])

  const groups = safety === null ? [] : safetyNumberGroups(safety.digits)
  return (
    <section class="screen">
      <ScreenHeader title={`Verify ${name}`} subtitle="Safety number" onBack={back} />
      <div class="pad stack safety">
        <p>
          Compare these numbers with {name}, in person or on a call you trust. If they are the same on both
          devices, nobody is intercepting your conversation. If they differ, do not share anything sensitive and
          tell your department IT.
        </p>
        {safety === null
          ? <p class="muted" role="status">{failed ? 'The safety number could not be computed.' : 'Computing the safety number…'}</p>
          : (
            <>
              <p class="safety-digits" data-testid="safety-number">
                {groups.map((group, i) => <span key={i}>{group}{i < groups.length - 1 ? ' ' : ''}</span>)}
              </p>
              <QrCode payload={safety.qrPayload} label={`QR code of the safety number with ${name}`} onError={reportError} />
              {scanning
                ? <QrScanner label={`Point the camera at the QR code on ${name}'s device`} onResult={scanned} onCancel={stopScanning} onError={scanFailed} />
                : <button type="button" data-testid="safety-scan-button" onClick={() => { setMatched(null); setScanning(true) }}>Scan {name}'s QR code</button>}
              {matched !== null && (
                <p class={matched === true ? 'safety-match' : matched === false ? 'safety-mismatch' : 'muted'} role="status" data-testid="safety-scan-result" data-match={String(matched)}>
                  {matched === true
                    ? `The safety numbers match: nobody is between you and ${name}.`
                    : matched === false
                      ? `The safety numbers do not match. Do not share anything sensitive with ${name} on this device, and tell your department IT.`
                      : `That QR code is not a Dak safety number. Scan the one on ${name}'s Verify screen.`}
                </p>
              )}
            </>
            )}
        {devices !== null && (
          <div class="stack" data-testid="devices">
            <h3>{name}'s devices ({devices.length})</h3>
            <ul>
              {devices.map(d => (
                <li key={d.deviceKey} data-state={d.state}>
                  <code>{shortDeviceKey(d.deviceKey)}</code>{' '}
                  {d.thisDevice ? '(this device)' : d.state === 'new' ? '— new: gets nothing from you until you accept it after comparing the number' : d.state === 'removed' ? '— removed by its officer: gets nothing from you' : ''}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  )
}
