import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DakError, toHex, type OpenedEnvelope } from '@dak/protocol'
import { EnvelopeStore, type DepositOutcome } from './envelope-store.js'
import { envelope, NOW, openTempDb, seededKey, type TempDb } from './test-helpers.js'

const node = seededKey('property node')
const devices = [seededKey('property device 0'), seededKey('property device 1')]
const TOPICS = ['p-0', 'p-1', 'p-2']

type Action =
  | { kind: 'new', topic: number, device: number }
  | { kind: 'repeat', pick: number }
  | { kind: 'garbage', bytes: Uint8Array }
  | { kind: 'mutate', pick: number, at: number, xor: number }

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('new' as const), topic: fc.nat(TOPICS.length - 1), device: fc.nat(devices.length - 1) }),
  fc.record({ kind: fc.constant('repeat' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 200 }) }),
  fc.record({ kind: fc.constant('mutate' as const), pick: fc.nat(), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) })
)
/** Rounds of actions; the actions of one round run concurrently. */
const rounds = fc.array(fc.array(action, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 10 })

let temp: TempDb
beforeAll(async () => { temp = await openTempDb() })
afterAll(async () => { await temp.cleanup() })

describe('envelope store invariants under random deposits', () => {
  it('unique gap-free sequences per topic, one copy per id, typed errors for bad bytes', async () => {
    let run = 0
    let counter = 0
    await fc.assert(fc.asyncProperty(rounds, async (plan) => {
      // A fresh sublevel per run: every run starts from an empty store, on a real database.
      const store = new EnvelopeStore({ db: temp.db.sublevel(`run-${run++}`), nodeKey: node })
      const made: OpenedEnvelope[] = []
      const results: Array<{ envelope: OpenedEnvelope, outcome: DepositOutcome }> = []
      for (const round of plan) {
        await Promise.all(round.map(async (step) => {
          if (step.kind === 'garbage' || (step.kind === 'mutate' && made.length > 0)) {
            let bytes = step.kind === 'garbage' ? step.bytes : new Uint8Array(0)
            if (step.kind === 'mutate') {
              const original = made[step.pick % made.length]?.bytes ?? new Uint8Array(1)
              bytes = original.slice()
              const at = step.at % bytes.length
              bytes[at] = (bytes[at] ?? 0) ^ step.xor
            }
            const error = await store.deposit(bytes, NOW).then(() => null, (err: unknown) => err)
            expect(error).toBeInstanceOf(DakError)
            return
          }
          let sealed: OpenedEnvelope | undefined
          if (step.kind === 'new') {
            sealed = envelope(devices[step.device] ?? node, TOPICS[step.topic] ?? 'p-0', counter++)
            made.push(sealed)
          } else if (step.kind === 'repeat') {
            sealed = made[step.pick % Math.max(1, made.length)]
          }
          if (sealed == null) return
          results.push({ envelope: sealed, outcome: await store.deposit(sealed.bytes, NOW) })
        }))
      }

      // One sequence per id, one non-duplicate answer per id.
      const byId = new Map<string, { topic: string, sequences: Set<number>, firsts: number }>()
      for (const { envelope: e, outcome } of results) {
        const entry = byId.get(toHex(e.id)) ?? { topic: e.topic, sequences: new Set<number>(), firsts: 0 }
        entry.sequences.add(outcome.sequence)
        if (!outcome.duplicate) entry.firsts++
        byId.set(toHex(e.id), entry)
      }
      for (const entry of byId.values()) {
        expect(entry.sequences.size).toBe(1)
        expect(entry.firsts).toBe(1)
      }
      // Per topic, the ids' sequences are exactly 1..n, and the store serves exactly those.
      for (const topic of TOPICS) {
        const sequences = [...byId.values()].filter(e => e.topic === topic).flatMap(e => [...e.sequences]).sort((a, b) => a - b)
        expect(sequences).toEqual(sequences.map((_, i) => i + 1))
        const page = await store.query(topic, 0, 0, 0)
        expect(page.entries.map(e => e.sequence)).toEqual(sequences)
      }
      expect((await store.stats()).envelopes).toBe(byId.size)
    }), { numRuns: 40 })
  })
})
