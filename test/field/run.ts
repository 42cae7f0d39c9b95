import { commit, figuresOf, record, textOf } from './report.js'
import { removeOwnNamespaces, removeStaleNamespaces } from './namespaces.js'
import { killAll } from './processes.js'
import { MATRIX, PROFILES } from './profiles.js'
import { runProfile } from './scenario.js'
import { PARTITION_PROFILES, runPartition } from './partition.js'
import { partitionFiguresOf, partitionTextOf, recordPartition } from './partition-report.js'

/**
 * `npm run field [-- --profile NAME] [--seed N] [--note TEXT] [--no-record]`
 * (`--field-md FILE --commit LABEL`: record elsewhere, for a copy of an older tree):
 * run the matrix (or one profile), print each run's figures and append them
 * to FIELD.md. Needs root (network namespaces). Exit 0 when every run
 * delivered every text exactly once to every receiver, 1 otherwise, 2 on a
 * harness failure.
 */

function flag (name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

async function main (): Promise<number> {
  if (process.getuid?.() !== 0) { process.stderr.write('field: needs root (network namespaces)\n'); return 2 }
  const one = flag('profile')
  const names = one != null ? [one] : MATRIX
  for (const name of names) if (PROFILES[name] == null && PARTITION_PROFILES[name] == null) { process.stderr.write(`field: unknown profile ${name}; known: ${[...Object.keys(PROFILES), ...Object.keys(PARTITION_PROFILES)].join(', ')}\n`); return 2 }
  const seed = Number(flag('seed') ?? '1')
  // the code a run loads is the tree as it is now: name that commit, not the one at the end
  const commitLabel = flag('commit') ?? commit()
  const stale = removeStaleNamespaces()
  if (stale.length > 0) process.stderr.write(`field: removed namespaces left by an earlier run: ${stale.join(', ')}\n`)
  let allDelivered = true
  for (const name of names) {
    const split = PARTITION_PROFILES[name]
    if (split != null) {
      const observed = await runPartition(split, seed)
      const figures = partitionFiguresOf(observed)
      process.stdout.write(partitionTextOf(figures, observed, 'this run') + '\n')
      if (!process.argv.includes('--no-record')) await recordPartition(figures, observed, flag('note') ?? '', flag('field-md'), commitLabel)
      if (figures.exactlyOnce !== figures.texts || figures.convergedMs == null) allDelivered = false
      continue
    }
    const observed = await runProfile(PROFILES[name]!, seed)
    const figures = figuresOf(observed)
    process.stdout.write(textOf(figures, observed, 'this run') + '\n')
    if (!process.argv.includes('--no-record')) await record(figures, observed, flag('note') ?? '', flag('field-md'), commitLabel)
    if (figures.exactlyOnceToAll !== figures.texts) allDelivered = false
  }
  return allDelivered ? 0 : 1
}

// SIGINT/SIGTERM: kill every process, delete this run's namespaces, exit 130; a second signal exits at once
let interrupted = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130)
    interrupted = true
    process.stderr.write(`field: ${signal}, cleaning up\n`)
    killAll().finally(() => { removeOwnNamespaces(); process.exit(130) })
  })
}

main().then((code) => { process.exitCode = code }, async (err: unknown) => {
  process.stderr.write(`field: ${(err as Error).stack ?? String(err)}\n`)
  await killAll()
  process.exitCode = 2
})
