import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { bytesBetween } from './link.js'
import type { Observed } from './scenario.js'

/**
 * Where a run's copies were lost: per receiver, the texts it printed and the
 * ones it missed, and for a receiver that missed any, what it said meanwhile
 * (its status lines, its errors, the tail of its debug log). The processes'
 * whole stderr, with `DEBUG=FIELD_DEBUG` (default `dak:*`), is kept in a log
 * directory after the run (FIELD_LOG_DIR, default /tmp/dak-field-logs/…).
 */

/** Debug namespaces for the department node and the receivers' `dak listen`. */
export const FIELD_DEBUG = process.env.FIELD_DEBUG ?? 'dak:*'

export function makeLogDir (profile: string): string {
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')
  const dir = process.env.FIELD_LOG_DIR ?? join('/tmp/dak-field-logs', `${stamp}-${profile}`)
  mkdirSync(dir, { recursive: true })
  return dir
}

export function logFileOf (logDir: string, who: string): string {
  return join(logDir, `${who}.stderr.log`)
}

export interface ReceiverOutcome {
  handle: string
  /** ms from each text's send to its first arrival here, ascending. */
  latencies: number[]
  got: number
  missed: string[]
  duplicated: string[]
}

export function outcomesOf (o: Observed, receivers: string[]): ReceiverOutcome[] {
  return receivers.map((handle) => {
    const seen = o.received[handle] ?? {}
    const latencies = o.texts.flatMap(t => { const first = seen[t.tag]?.[0]; return first != null && t.sentAt != null ? [first - t.sentAt] : [] }).sort((a, b) => a - b)
    return {
      handle,
      latencies,
      got: o.texts.filter(t => (seen[t.tag]?.length ?? 0) > 0).length,
      missed: o.texts.filter(t => (seen[t.tag]?.length ?? 0) === 0).map(t => t.tag),
      duplicated: o.texts.filter(t => (seen[t.tag]?.length ?? 0) > 1).map(t => t.tag)
    }
  })
}

/** `field#1`…`field#12` → "field#1–12"; gaps listed. */
function tagRanges (tags: string[]): string {
  const numbers = tags.map(t => Number(t.slice('field#'.length))).sort((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < numbers.length; i++) {
    let j = i
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++
    parts.push(i === j ? `${numbers[i]!}` : `${numbers[i]!}–${numbers[j]!}`)
    i = j
  }
  return `field#${parts.join(', ')}`
}

function tail (file: string, lines: number): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(l => l.trim() !== '').slice(-lines).map(l => l.slice(0, 240))
  } catch (err) {
    return [`(no log: ${(err as Error).message})`]
  }
}

/** Markdown for FIELD.md: one line per receiver, and the trail of each that missed texts. */
export function receiverSection (o: Observed, receivers: string[]): string[] {
  const rows = ['Per receiver (texts printed by its `dak listen`, or shown by the browser page):', '']
  const outcomes = outcomesOf(o, receivers)
  for (const r of outcomes) {
    const kind = o.browsers.includes(r.handle) ? ' (browser)' : ''
    const p = (q: number): string => r.latencies.length === 0 ? '—' : `${(r.latencies[Math.min(r.latencies.length - 1, Math.ceil(q * r.latencies.length) - 1)]! / 1000).toFixed(2)} s`
    const vni = o.vniOf[r.handle]
    const idle = vni == null || o.onlineMs[r.handle] == null ? '—' : `${Math.round(bytesBetween(o.idle.before, o.idle.after, vni) / (o.idle.ms / 60_000))} B/min`
    rows.push(`- ${r.handle}${kind}: ${r.got} of ${o.texts.length}, p50 ${p(0.5)}, p95 ${p(0.95)}, idle ${idle}${r.missed.length > 0 ? `; missed ${tagRanges(r.missed)}` : ''}${r.duplicated.length > 0 ? `; duplicated ${tagRanges(r.duplicated)}` : ''}`)
  }
  rows.push('')
  for (const r of outcomes.filter(r => r.missed.length > 0)) {
    rows.push(`<details><summary>${r.handle}, which missed ${r.missed.length}: status lines, errors, the end of its debug log</summary>`, '')
    for (const s of o.statuses[r.handle] ?? []) rows.push(`    ${s}`)
    for (const e of o.errors[r.handle] ?? []) rows.push(`    error: ${e}`)
    rows.push(`    --- last lines of ${logFileOf(o.logDir, r.handle)}`)
    for (const line of tail(logFileOf(o.logDir, r.handle), 25)) rows.push(`    ${line}`)
    rows.push('', '</details>', '')
  }
  rows.push(`Logs of this run (not kept in the repository): ${o.logDir}`, '')
  return rows
}
