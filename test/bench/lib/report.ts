import type { Machine } from './machine.js'
import type { ChildReport, Figure } from './types.js'

/** The summary table (stdout), the JSON document (--json) and the section appended to BENCHMARKS.md. */

export interface RunReport {
  mode: 'full' | 'quick'
  command: string
  machine: Machine
  seconds: number
  benchmarks: ChildReport[]
}

function fmt (n: number | undefined | null): string {
  if (n == null || Number.isNaN(n)) return '—'
  if (!Number.isFinite(n)) return String(n)
  const abs = Math.abs(n)
  if (abs >= 1000) return Math.round(n).toLocaleString('en-US')
  if (abs >= 100) return n.toFixed(0)
  if (abs >= 10) return n.toFixed(1)
  if (abs >= 1) return n.toFixed(2)
  return n.toPrecision(2)
}

function withUnit (value: number | null, unit: string): string {
  return value == null ? 'pending' : `${fmt(value)} ${unit}`.trim()
}

function met (f: Figure): string {
  if (f.pending != null) return 'hook'
  if (f.target == null) return ''
  return f.target.met ? 'yes' : 'NO'
}

export function rows (report: RunReport): string[][] {
  const out: string[][] = []
  for (const b of report.benchmarks) {
    if (!b.ok) {
      out.push([`${b.id}: FAILED`, `${b.error.name}: ${b.error.message}`.slice(0, 120), '', '', '', ''])
      continue
    }
    for (const f of b.result.figures) {
      out.push([
        f.label,
        withUnit(f.value, f.unit),
        f.baseline != null ? `${fmt(f.baseline.value)} ${f.baseline.unit} (${f.baseline.label})` : '',
        f.ratio != null ? fmt(f.ratio) : '',
        f.target?.text ?? '',
        met(f)
      ])
    }
  }
  return out
}

const HEADER = ['Figure', 'Dak', 'Baseline (raw library, same run)', 'Ratio', 'Target', 'Met']

export function textTable (report: RunReport): string {
  const all = [HEADER, ...rows(report)]
  const widths = HEADER.map((_, c) => Math.min(70, Math.max(...all.map(r => (r[c] ?? '').length))))
  const line = (r: string[]): string => r.map((cell, c) => (cell.length > (widths[c] ?? 0) ? cell.slice(0, (widths[c] ?? 1) - 1) + '…' : cell).padEnd(widths[c] ?? 0)).join('  ').trimEnd()
  const rule = widths.map(w => '-'.repeat(w)).join('  ')
  const m = report.machine
  return [
    `Dak benchmarks (${report.mode}) — ${m.date} — ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, commit ${m.commit}`,
    '',
    line(HEADER), rule, ...rows(report).map(line),
    '',
    ...notes(report).map(n => `- ${n}`),
    `Total ${fmt(report.seconds)} s.`
  ].join('\n')
}

function notes (report: RunReport): string[] {
  const out: string[] = []
  for (const b of report.benchmarks) {
    if (!b.ok) continue
    for (const f of b.result.figures) {
      if (f.pending != null) out.push(`${f.key}: ${f.pending}${f.note != null ? ` (${f.note})` : ''}`)
      else if (f.note != null && f.note !== '') out.push(`${f.key}: ${f.note}`)
    }
  }
  return out
}

const escape = (s: string): string => s.replaceAll('|', '\\|')

export function markdownSection (report: RunReport): string {
  const m = report.machine
  const table = [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows(report).map(r => `| ${r.map(escape).join(' | ')} |`)
  ]
  const timing = report.benchmarks.map(b => `${b.id} ${fmt(b.seconds)} s${b.ok ? '' : ' (failed)'}`).join(', ')
  return [
    `### ${m.date.slice(0, 16).replace('T', ' ')} UTC — ${report.mode} run, commit ${m.commit}`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM (${m.freeMemoryGiB} GiB free), load ${m.load1}, ${m.os}, Node ${m.node}.`,
    `Command: \`${report.command}\`. Took ${fmt(report.seconds)} s (${timing}).`,
    '',
    ...table,
    '',
    ...notes(report).map(n => `- ${escape(n)}`),
    ''
  ].join('\n')
}
