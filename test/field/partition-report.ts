import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { PartitionObserved } from './partition.js'
import { ROOT } from './processes.js'
import { commit } from './report.js'

/** The figures of a `partition` run (docs/field.md), printed and appended to FIELD.md. */

export interface PartitionFigures {
  texts: number
  /** Texts every expected member printed exactly once. */
  exactlyOnce: number
  lost: number
  duplicates: number
  /** Copies of texts sent apart that reached the newcomer (she was not a member when they were sent). */
  toNewcomer: number
  convergedMs?: number
  /** Side B's texts while apart: chitra → dinesh over the LAN, latency p50 / max. */
  lanLatencyMs: { p50?: number, max?: number }
  /** Side B's texts that reached dinesh before the heal (over the LAN). */
  lanDelivered: number
}

const s = (ms: number | undefined): string => ms == null ? '—' : `${(ms / 1000).toFixed(2)} s`

export function partitionFiguresOf (o: PartitionObserved): PartitionFigures {
  let lost = 0; let duplicates = 0; let exactlyOnce = 0
  for (const t of o.texts) {
    let once = true
    for (const h of t.expected) {
      const n = o.received[h]?.[t.tag]?.length ?? 0
      if (n === 0) lost++
      if (n > 1) duplicates += n - 1
      if (n !== 1) once = false
    }
    if (once) exactlyOnce++
  }
  const toNewcomer = o.texts.filter(t => t.phase === 'apart' && (o.received.esha?.[t.tag]?.length ?? 0) > 0).length
  const lan = o.texts.filter(t => t.phase === 'apart' && t.from === 'chitra')
    .map(t => ({ t, at: o.received.dinesh?.[t.tag]?.[0] }))
    .filter((x): x is { t: typeof x.t, at: number } => x.at != null && x.at < o.healAt)
    .map(x => x.at - x.t.sentAt).sort((a, b) => a - b)
  return { texts: o.texts.length, exactlyOnce, lost, duplicates, toNewcomer, convergedMs: o.convergedMs, lanDelivered: lan.length, lanLatencyMs: { p50: lan[Math.floor((lan.length - 1) / 2)], max: lan.at(-1) } }
}

export function partitionTextOf (f: PartitionFigures, o: PartitionObserved, label: string): string {
  const since = (at: number | undefined): string => at == null ? 'never' : `${((at - o.healAt) / 1000).toFixed(1)} s after the heal`
  const view = (h: string): string => { const v = o.finalViews[h]; return v == null ? `${h}: —` : `${h}: ${v.members.join(' ')} @ epoch ${v.epoch ?? '?'}` }
  const apart = o.texts.filter(t => t.phase === 'apart')
  const rows = [
    `### ${o.profile.name} — ${label}`,
    '',
    `${o.profile.description}. Seed ${o.seed}; apart ${o.profile.apartMs / 1000} s; ${Math.round(o.durationMs / 1000)} s.`,
    '',
    '| measure | value |',
    '|---|---|',
    `| texts sent (apart: side A / side B; after the heal) | ${apart.filter(t => t.from === 'asha').length} / ${apart.filter(t => t.from === 'chitra').length}; ${o.texts.length - apart.length} |`,
    `| \`dak send\` exit codes (apart, side B) | ${apart.filter(t => t.from === 'chitra').map(t => `${t.tag} ${String(t.sendCode)}${t.state != null ? ` ${String(t.state)}` : ''}`).join(', ')} |`,
    `| delivered exactly once to every member expected | ${f.exactlyOnce} of ${f.texts} |`,
    `| copies lost / duplicated | ${f.lost} / ${f.duplicates} |`,
    `| side B while apart, chitra → dinesh over the LAN: texts there before the heal; latency p50 / max | ${f.lanDelivered} of ${apart.filter(t => t.from === 'chitra').length}; ${s(f.lanLatencyMs.p50)} / ${s(f.lanLatencyMs.max)} |`,
    `| time to converge after the heal (every apart text everywhere, same members, same epoch) | ${f.convergedMs == null ? `not within ${o.profile.convergeDeadlineMs / 1000} s` : s(f.convergedMs)} |`,
    `| chitra's \`group add esha\` while the sequencer was out of reach | exit ${String(o.membership.code)}; esha in the group ${since(o.membership.eshaJoinedAt)} |`,
    `| apart texts that reached esha (typed before her add went through) | ${f.toNewcomer}: ${o.texts.filter(t => t.phase === 'apart' && (o.received.esha?.[t.tag]?.length ?? 0) > 0).map(t => t.tag).join(' ')} |`,
    `| each device's group at the end (\`dak conversations\`) | ${Object.keys(o.finalViews).map(view).join('; ')} |`,
    ''
  ]
  const late = o.texts.filter(t => t.expected.some(h => (o.received[h]?.[t.tag]?.length ?? 0) !== 1))
  if (late.length > 0) rows.push('Not exactly once:', '', ...late.map(t => `- ${t.tag} from ${t.from}: ${t.expected.map(h => `${h} ×${o.received[h]?.[t.tag]?.length ?? 0}`).join(', ')}`), '')
  const errors = Object.entries(o.errors).flatMap(([h, list]) => list.slice(0, 3).map(e => `${h}: ${e}`))
  if (errors.length > 0) rows.push('Errors reported by `dak listen` (first 3 each):', '', ...errors.map(e => `- ${e}`), '')
  rows.push(`\`group add\` answered: ${o.membership.output.replace(/\|/g, '\\|')}`, '')
  rows.push('<details><summary>run log</summary>', '', ...o.events.map(e => `    ${e}`), '', '</details>', '')
  return rows.join('\n')
}

export async function recordPartition (f: PartitionFigures, o: PartitionObserved, note: string, file = join(ROOT, 'FIELD.md'), commitLabel = commit()): Promise<void> {
  const existing = await readFile(file, 'utf8').catch(() => '')
  if (existing === '') await writeFile(file, '# Field runs\n\n')
  const label = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commitLabel}${note === '' ? '' : `, ${note}`}`
  await appendFile(file, partitionTextOf(f, o, label) + '\n')
}
