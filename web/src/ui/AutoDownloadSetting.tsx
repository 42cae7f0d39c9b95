/**
 * Issue 15: up to which size incoming files are downloaded without asking on
 * this device (docs/files.md, *Auto-download*). The department sets a size;
 * the officer may choose another here (say "Never" on a slow link) or follow
 * the department again. Files asked for by hand come whatever this says.
 */
import { useEffect, useState } from 'preact/hooks'
import { readableError, type ReadableError } from '../errors.js'
import type { AutoDownload, Messenger } from '../messenger.js'

const CHOICES: Array<[number, string]> = [[0, 'Never'], [100_000, '100 kB'], [1_000_000, '1 MB'], [5_000_000, '5 MB'], [20_000_000, '20 MB']]
const FOLLOW = 'department'

function sizeText (bytes: number): string {
  if (bytes === 0) return 'never'
  return bytes >= 1_000_000 ? `${+(bytes / 1_000_000).toFixed(1)} MB` : `${Math.round(bytes / 1000)} kB`
}

export function AutoDownloadSetting ({ messenger }: { messenger: Pick<Messenger, 'autoDownload' | 'setAutoDownload' | 'on'> }) {
  const [limit, setLimit] = useState<AutoDownload | null>(null)
  const [error, setError] = useState<ReadableError | null>(null)
  useEffect(() => {
    let live = true
    const read = (): void => { messenger.autoDownload().then(l => { if (live) setLimit(l) }, err => { if (live) setError(readableError(err)) }) }
    read()
    // the department's size comes with each connection to its node (and may have changed): read again then
    const offs = [messenger.on('status', read), messenger.on('sync', read)]
    return () => { live = false; for (const off of offs) off() }
  }, [messenger])

  const choose = (value: string) => {
    setError(null)
    messenger.setAutoDownload(value === FOLLOW ? null : Number(value)).then(setLimit, err => { setError(readableError(err)) })
  }
  if (limit === null && error === null) return null
  const selected = limit === null || limit.source !== 'officer' ? FOLLOW : String(limit.bytes)
  return (
    <footer class="pin-bar" data-testid="auto-download-setting" data-source={limit?.source} data-bytes={limit?.bytes}>
      <label>Download files automatically:
        <select data-testid="auto-download-select" value={selected} onChange={e => { choose((e.target as HTMLSelectElement).value) }}>
          <option value={FOLLOW}>{limit !== null && limit.source !== 'officer' ? `as the department says (${sizeText(limit.bytes)})` : 'as the department says'}</option>
          {CHOICES.map(([bytes, label]) => <option key={bytes} value={String(bytes)}>{bytes === 0 ? label : `up to ${label}`}</option>)}
        </select>
      </label>
      {error !== null && <p role="alert" data-testid="auto-download-error" data-error-name={error.name}>{error.text}</p>}
    </footer>
  )
}
