import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FieldNetwork } from './namespaces.js'

/** What every field run starts with: its clock, its network, a scratch directory, and its event log. */
export interface FieldRun {
  started: number
  network: FieldNetwork
  scratch: string
  /** "12.3 s what happened", in order: the run log FIELD.md keeps. */
  events: string[]
  /** Log an event with its time since the start, and print it. */
  note: (what: string) => void
}

export function log (message: string): void {
  process.stderr.write(`[field ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

export async function startRun (): Promise<FieldRun> {
  const started = Date.now()
  const events: string[] = []
  return {
    started,
    network: new FieldNetwork(),
    scratch: await mkdtemp(join(tmpdir(), 'dak-field-')),
    events,
    note: (what) => { events.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${what}`); log(what) }
  }
}
