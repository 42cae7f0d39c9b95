import { execFileSync } from 'node:child_process'
import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { bytesBetween } from './link.js'
import { ROOT } from './processes.js'
import type { Observed } from './scenario.js'
import { receiverSection } from './receiver-trace.js'

/** The figures of one field run, from what scenario.ts observed. */
export interface Figures {
  profile: string
  seed: number
  texts: number
  receivers: number
  sendExit0: number
  /** Texts every receiver printed exactly once. */
  exactlyOnceToAll: number
  /** Copies missing, and extra copies, over all receivers. */
  lost: number
  duplicates: number
  latencyMs: { p50?: number, p95?: number, max?: number }
  onlineMs: Record<string, number | undefined>
  /** IP bytes on every link during sending and draining, per text delivered to everyone. */
  bytesPerDeliveredText?: number
  /** The same, counting the receivers' links only, per copy delivered. */
  receiverBytesPerCopy?: number
  idleBytesPerMinutePerDevice?: number
  /** Bytes per receiver in the settle period after coming online (not idle). */
  settleBytesPerDevice?: number
  durationS: number
}

function percentile (sorted: number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]
}

export function figuresOf (o: Observed): Figures {
  const receivers = Object.keys(o.received).filter(h => o.vniOf[h] !== 1)
  let lost = 0; let duplicates = 0; let exactlyOnceToAll = 0
  const latencies: number[] = []
  for (const text of o.texts) {
    let onceEverywhere = true
    for (const handle of receivers) {
      const seen = o.received[handle]?.[text.tag] ?? []
      if (seen.length === 0) lost++
      if (seen.length > 1) duplicates += seen.length - 1
      if (seen.length !== 1) onceEverywhere = false
      if (seen.length > 0 && text.sentAt != null) latencies.push(seen[0]! - text.sentAt)
    }
    if (onceEverywhere) exactlyOnceToAll++
  }
  latencies.sort((a, b) => a - b)
  const all = Object.values(o.vniOf)
  const sendingBytes = all.reduce((sum, vni) => sum + bytesBetween(o.sending.before, o.sending.after, vni), 0)
  const receiverVnis = receivers.map(h => o.vniOf[h]!)
  const receiverBytes = receiverVnis.reduce((sum, vni) => sum + bytesBetween(o.sending.before, o.sending.after, vni), 0)
  const copies = o.texts.length * receivers.length - lost
  // idle and settling are of devices that are online: a receiver still trying to come online
  // (2g-bad) spends its link on that, which divided among the online ones read as idle chatter
  const onlineVnis = receivers.filter(h => o.onlineMs[h] != null).map(h => o.vniOf[h]!)
  const idleBytes = onlineVnis.reduce((sum, vni) => sum + bytesBetween(o.idle.before, o.idle.after, vni), 0)
  const onlineReceivers = onlineVnis.length
  const settleBytes = onlineVnis.reduce((sum, vni) => sum + bytesBetween(o.settle.before, o.settle.after, vni), 0)
  return {
    profile: o.profile.name,
    seed: o.seed,
    texts: o.texts.length,
    receivers: receivers.length,
    sendExit0: o.texts.filter(t => t.sendCode === 0).length,
    exactlyOnceToAll,
    lost,
    duplicates,
    latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), max: latencies.at(-1) },
    onlineMs: Object.fromEntries(receivers.map(h => [h, o.onlineMs[h]])),
    bytesPerDeliveredText: exactlyOnceToAll > 0 ? Math.round(sendingBytes / exactlyOnceToAll) : undefined,
    receiverBytesPerCopy: copies > 0 ? Math.round(receiverBytes / copies) : undefined,
    settleBytesPerDevice: onlineReceivers > 0 ? Math.round(settleBytes / onlineReceivers) : undefined,
    idleBytesPerMinutePerDevice: onlineReceivers > 0 ? Math.round(idleBytes / onlineReceivers / (o.idle.ms / 60_000)) : undefined,
    durationS: Math.round(o.durationMs / 1000)
  }
}

const s = (ms: number | undefined): string => ms == null ? '—' : `${(ms / 1000).toFixed(2)} s`

export function textOf (f: Figures, o: Observed, label: string): string {
  const rows = [
    `### ${f.profile} — ${label}`,
    '',
    `${o.profile.description}. Seed ${f.seed}; ${f.receivers} receiver(s); ${f.durationS} s.`,
    '',
    '| measure | value |',
    '|---|---|',
    `| texts sent (\`dak send\` exit 0) | ${f.texts} (${f.sendExit0}) |`,
    `| delivered exactly once to every receiver | ${f.exactlyOnceToAll} of ${f.texts} (${(100 * f.exactlyOnceToAll / Math.max(1, f.texts)).toFixed(0)}%) |`,
    `| copies lost / duplicated | ${f.lost} / ${f.duplicates} |`,
    `| delivery latency p50 / p95 / max | ${s(f.latencyMs.p50)} / ${s(f.latencyMs.p95)} / ${s(f.latencyMs.max)} |`,
    `| receivers online after \`dak listen\` started | ${Object.entries(f.onlineMs).map(([h, ms]) => `${h} ${ms == null ? 'never' : s(ms)}`).join(', ')} |`,
    `| link bytes per text delivered to all (every link, sends included) | ${f.bytesPerDeliveredText ?? '—'} B |`,
    `| receiver-link bytes per delivered copy | ${f.receiverBytesPerCopy ?? '—'} B |`,
    `| bytes per device in the ${o.settle.ms / 1000} s after coming online | ${f.settleBytesPerDevice ?? '—'} B |`,
    `| idle bytes per minute per device (after those ${o.settle.ms / 1000} s) | ${f.idleBytesPerMinutePerDevice ?? '—'} B |`,
    ''
  ]
  rows.push(...receiverSection(o, Object.keys(o.received).filter(h => o.vniOf[h] !== 1)))
  const errors = Object.entries(o.errors).flatMap(([h, list]) => list.slice(0, 3).map(e => `${h}: ${e}`))
  if (errors.length > 0) rows.push('Errors reported by `dak listen` (first 3 each):', '', ...errors.map(e => `- ${e}`), '')
  rows.push('<details><summary>run log</summary>', '', ...o.events.map(e => `    ${e}`), '', '</details>', '')
  return rows.join('\n')
}

export function commit (): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!FIELD.md'], { cwd: ROOT, encoding: 'utf8' }).trim() !== ''
    return dirty ? `${head}+changes` : head
  } catch { return 'unknown' }
}

/** Append one run to FIELD.md (made with a header the first time). */
export async function record (f: Figures, o: Observed, note: string, file = join(ROOT, 'FIELD.md'), commitLabel = commit()): Promise<void> {
  const header = '# Field runs\n\nAppended by `npm run field` (test/field/, docs/field.md): real processes in network namespaces over a shaped link. Newest last.\n\n'
  const existing = await readFile(file, 'utf8').catch(() => '')
  if (existing === '') await writeFile(file, header)
  const label = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commitLabel}${note === '' ? '' : `, ${note}`}`
  await appendFile(file, textOf(f, o, label) + '\n')
}
