/**
 * The officer's own devices (issue 16, linked devices): a one-time link code
 * and its QR for a new device, confirming the new device by the key it shows
 * (the vouch adds it to every conversation), and removing a device from every
 * conversation. The confirmation is by key, never by the code alone: a device
 * the department enrolled behind the officer's back is not vouched for by mistake.
 */
import { useCallback, useEffect, useState } from 'preact/hooks'
import { formatDateTime, shortDeviceKey } from '../format.js'
import type { DeviceSummary, LinkCode } from '../messenger.js'
import { useApp } from './context.js'
import { QrCode } from './QrCode.js'
import { ScreenHeader } from './ScreenHeader.js'

export function MyDevices () {
  const { messenger, me, reportError, back, readOnly } = useApp()
  const [devices, setDevices] = useState<DeviceSummary[] | null>(null)
  const [link, setLink] = useState<LinkCode | null>(null)
  const [asking, setAsking] = useState(false)
  const [key, setKey] = useState('')
  const [outcome, setOutcome] = useState<string | null>(null)

  const reload = useCallback(async () => {
    setDevices(await messenger.devices(me.handle))
  }, [messenger, me.handle])
  useEffect(() => { reload().catch(reportError) }, [reload, reportError])

  const askForCode = (): void => {
    setAsking(true)
    messenger.linkDevice().then(setLink, reportError).finally(() => { setAsking(false) })
  }
  const confirm = (deviceKey: string): void => {
    messenger.vouchDevice(deviceKey.replace(/\s+/g, '')).then(async (done) => {
      setOutcome(`Device ${shortDeviceKey(done.device.deviceKey)} is yours: being added to ${done.conversations} conversation${done.conversations === 1 ? '' : 's'}.`)
      setKey('')
      setLink(null)
      await reload()
    }).catch(reportError)
  }
  const remove = (device: DeviceSummary): void => {
    if (!window.confirm(`Remove device ${shortDeviceKey(device.deviceKey)} from all your conversations? It will read nothing written after this. If it was lost or stolen, also ask your department IT to revoke it.`)) return
    messenger.removeOwnDevice(device.deviceKey).then(async (done) => {
      setOutcome(`Device ${shortDeviceKey(done.device.deviceKey)} is being removed from ${done.conversations} conversation${done.conversations === 1 ? '' : 's'}.`)
      await reload()
    }).catch(reportError)
  }

  return (
    <section class="screen">
      <ScreenHeader title="My devices" subtitle={me.displayName} onBack={back} />
      <div class="pad stack">
        {outcome !== null && <p role="status" data-testid="devices-outcome">{outcome}</p>}
        {devices === null
          ? <p class="muted" role="status">Loading your devices…</p>
          : (
            <ul class="plain-list stack" data-testid="my-devices">
              {devices.map(d => (
                <li key={d.deviceKey} data-state={d.state} data-this-device={String(d.thisDevice)} data-device-key={d.deviceKey}>
                  <code>{shortDeviceKey(d.deviceKey)}</code>{' '}
                  {d.thisDevice
                    ? '(this device)'
                    : d.state === 'new'
                      ? <>— new, not yet confirmed as yours {!readOnly && <button type="button" data-testid="confirm-device" onClick={() => { confirm(d.deviceKey) }}>This is mine</button>}</>
                      : d.state === 'removed'
                        ? '— removed'
                        : <>— yours {!readOnly && <button type="button" data-testid="remove-device" onClick={() => { remove(d) }}>Remove</button>}</>}
                </li>
              ))}
            </ul>
            )}
        {!readOnly && (
          <div class="stack">
            <h3>Link a new device</h3>
            {link === null
              ? <button type="button" data-testid="link-device" disabled={asking} onClick={askForCode}>{asking ? 'Asking your department…' : 'Get a link code'}</button>
              : (
                <>
                  <p>On the new device, enrol with this code, or scan the QR code. It works once, until {formatDateTime(link.expiresAt)}.</p>
                  <p class="safety-digits" data-testid="link-code">{link.code}</p>
                  <QrCode payload={link.url} label="QR code to link a new device" onError={reportError} />
                </>
                )}
            <form class="stack" onSubmit={(event) => { event.preventDefault(); confirm(key) }}>
              <label>
                Then type the key the new device shows (at least its first 12 characters), to confirm it is yours:
                <input data-testid="vouch-key" value={key} autoComplete="off" spellcheck={false} onInput={(event) => { setKey(event.currentTarget.value) }} />
              </label>
              <button type="submit" data-testid="vouch-button" disabled={key.replace(/\s+/g, '').length < 12}>Confirm it is mine</button>
            </form>
          </div>
        )}
      </div>
    </section>
  )
}
