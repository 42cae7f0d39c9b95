import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { messageId, toHex } from '@dak/protocol'
import { EnvelopeStore } from './envelope-store.js'
import { NOW, openTempDb, seededKey, type TempDb } from './test-helpers.js'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const depositor = fileURLToPath(new URL('./crash-depositor.ts', import.meta.url))
const KILLS = 5

interface Ack { topic: string, sequence: number, id: string }

/** Small deterministic PRNG (xorshift32): the kill points differ per run but are the same on every machine. */
function prng (seed: number): () => number {
  let x = seed
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    return (x >>> 0) / 0x1_0000_0000
  }
}

/**
 * Run the depositor until it has acknowledged `killAfter` envelopes, then
 * SIGKILL it. `node --import tsx` rather than the tsx binary: tsx runs the
 * script in a grandchild, which a SIGKILL to tsx would leave running.
 */
async function runAndKill (dir: string, run: number, killAfter: number): Promise<Ack[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', depositor, dir, String(run)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
  const acks: Ack[] = []
  let buffered = ''
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      const [word, topic = '', sequence = '', id = ''] = line.split(' ')
      if (word !== 'ack') continue
      acks.push({ topic, sequence: Number(sequence), id })
      if (acks.length === killAfter) child.kill('SIGKILL')
    }
  })
  const [code, signal] = await new Promise<[number | null, string | null]>(resolve => child.on('close', (c, s) => resolve([c, s])))
  if (signal !== 'SIGKILL') throw new Error(`depositor exited by itself (code ${code}): ${stderr}`)
  return acks
}

let temp: TempDb
beforeEach(async () => { temp = await openTempDb() })
afterEach(async () => { await temp.cleanup() })

describe('envelope store under kill -9', () => {
  it(`keeps every acknowledged envelope, with unique gap-free sequences, across ${KILLS} kills`, async () => {
    // The child needs the directory to itself: LevelDB allows one process at a time.
    await temp.db.close()
    const random = prng(0x5eed_0dac)
    const acked: Ack[] = []
    for (let run = 0; run < KILLS; run++) {
      acked.push(...await runAndKill(temp.dir, run, 5 + Math.floor(random() * 60)))
    }
    const db = await temp.reopen()
    const store = new EnvelopeStore({ db, nodeKey: seededKey('crash node') })

    const stored = new Map<string, string>() // "<topic> <sequence>" → message id
    for (const topic of ['crash-a', 'crash-b', 'crash-c']) {
      const sequences: number[] = []
      let cursor = 0
      for (;;) {
        const page = await store.query(topic, cursor, 0, 0)
        for (const entry of page.entries) {
          sequences.push(entry.sequence)
          stored.set(`${topic} ${entry.sequence}`, toHex(messageId(entry.envelope)))
        }
        cursor = page.nextAfterSequence
        if (!page.hasMore) break
      }
      expect(sequences).toEqual(sequences.map((_, i) => i + 1))
    }
    expect(acked.length).toBeGreaterThanOrEqual(KILLS * 5)
    for (const ack of acked) expect(stored.get(`${ack.topic} ${ack.sequence}`)).toBe(ack.id)
    expect(new Set(stored.values()).size).toBe(stored.size)
    expect((await store.stats()).envelopes).toBe(stored.size)
  })
})
