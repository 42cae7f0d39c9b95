import { ClassicLevel } from 'classic-level'
import { toHex } from '@dak/protocol'
import { EnvelopeStore } from './envelope-store.js'
import { envelope, NOW, seededKey } from './test-helpers.js'

/**
 * Child process of envelope-store.crash.test.ts (not production code). Opens
 * the store in argv[2] and deposits forever from several concurrent workers on
 * a few topics, printing "ack <topic> <sequence> <message id>" for each
 * deposit only after it resolved. Stdout to a pipe is synchronous on Linux, so
 * every printed line reaches the parent even if this process is killed right
 * after. The parent kills it with SIGKILL at a random point.
 */
const [dir, runText] = process.argv.slice(2)
if (dir == null || runText == null) throw new Error('usage: crash-depositor <dir> <run>')
const run = Number(runText)
const db = new ClassicLevel<string, string>(dir)
await db.open()
const store = new EnvelopeStore({ db, nodeKey: seededKey('crash node'), quotaEnvelopesPerDay: 1e9, quotaBytesPerDay: 1e12 })
const device = seededKey('crash device')
const topics = ['crash-a', 'crash-b', 'crash-c']
let next = 0

async function worker (): Promise<never> {
  for (;;) {
    const n = run * 1_000_000 + next++
    const topic = topics[n % topics.length] ?? 'crash-a'
    const sealed = envelope(device, topic, n, { payloadBytes: 300 })
    const result = await store.deposit(sealed.bytes, NOW)
    process.stdout.write(`ack ${topic} ${result.sequence} ${toHex(sealed.id)}\n`)
  }
}

process.stdout.write('ready\n')
await Promise.all([worker(), worker(), worker(), worker()])
