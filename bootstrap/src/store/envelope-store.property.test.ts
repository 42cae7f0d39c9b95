import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DakError, toHex, type OpenedEnvelope } from '@dak/protocol'
import { EnvelopeStore, type DepositOutcome } from './envelope-store.js'
import { QuotaExceededError } from './errors.js'
import { envelope, NOW, observeBatches, openTempDb, STORE_BACKENDS, stopTestEngine, seededKey, type TempDb } from './test-helpers.js'
import type { Db } from './level.js'

/** The registry's contract, on the embedded engine and on the shared one (docs/scaled.md). */
describe.each(STORE_BACKENDS)('on %s', (backend) => {
  afterAll(stopTestEngine)


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

  /** Bytes to deposit for one step, made before a round starts so that all of a round's deposits arrive at once. */
  function bytesFor (step: Action, made: OpenedEnvelope[], seal: (topic: number, device: number) => OpenedEnvelope): { bytes: Uint8Array, sealed?: OpenedEnvelope } | undefined {
    switch (step.kind) {
      case 'new': {
        const sealed = seal(step.topic, step.device)
        made.push(sealed)
        return { bytes: sealed.bytes, sealed }
      }
      case 'repeat': {
        const sealed = made[step.pick % Math.max(1, made.length)]
        return sealed == null ? undefined : { bytes: sealed.bytes, sealed }
      }
      case 'garbage':
        return { bytes: step.bytes }
      case 'mutate': {
        const original = made[step.pick % Math.max(1, made.length)]
        if (original == null) return undefined
        const bytes = original.bytes.slice()
        const at = step.at % bytes.length
        bytes[at] = (bytes[at] ?? 0) ^ step.xor
        return { bytes }
      }
    }
  }

  let temp: TempDb<Db>
  beforeAll(async () => { temp = await openTempDb(backend) })
  afterAll(async () => { await temp.cleanup() })

  describe('envelope store invariants under random deposits', () => {
    it('unique gap-free sequences per topic, one copy per id, typed errors for bad bytes', async () => {
      let run = 0
      let counter = 0
      await fc.assert(fc.asyncProperty(rounds, async (plan) => {
        // A fresh sublevel per run: every run starts from an empty store, on a real database.
        const store = new EnvelopeStore({ db: temp.fresh(`run-${run++}`), nodeKey: node })
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

    it('within one batch: duplicates, bad envelopes, quota overruns and failed writes keep every invariant', async () => {
      const QUOTA = 3
      /** Each round is deposited at once, so it is one batch; some batches fail to write. */
      const batches = fc.array(fc.record({ steps: fc.array(action, { minLength: 1, maxLength: 10 }), fail: fc.boolean() }), { minLength: 1, maxLength: 6 })
      let run = 0
      let counter = 0
      await fc.assert(fc.asyncProperty(batches, async (plan) => {
        const observed = observeBatches(temp.fresh(`batch-run-${run++}`))
        const store = new EnvelopeStore({ db: observed.db, nodeKey: node, quotaEnvelopesPerDay: QUOTA })
        const injected = new Error('injected write failure')
        const made: OpenedEnvelope[] = []
        const acked = new Map<string, { envelope: OpenedEnvelope, sequences: Set<number>, firsts: number }>()
        const refusedForQuota = new Set<string>()
        const seal = (topic: number, device: number): OpenedEnvelope => envelope(devices[device] ?? node, TOPICS[topic] ?? 'p-0', counter++)

        for (const { steps, fail } of plan) {
          const deposits = steps.map(step => ({ step, ...bytesFor(step, made, seal) }))
          observed.failNextSync(fail ? injected : undefined)
          const before = observed.synced.length
          const outcomes = await Promise.all(deposits.map(async d => d.bytes == null ? null : await store.deposit(d.bytes, NOW).catch((err: unknown) => err)))
          observed.failNextSync(undefined)
          expect(observed.synced.length - before).toBeLessThanOrEqual(1)
          deposits.forEach(({ step, sealed }, i) => {
            const outcome = outcomes[i]
            if (outcome === null) return
            if (sealed == null) {
              // Garbage or a mutated envelope: refused at the door with a typed error, never stored.
              expect(outcome).toBeInstanceOf(DakError)
              expect(outcome).not.toBeInstanceOf(QuotaExceededError)
              return
            }
            if (outcome === injected) return
            if (outcome instanceof QuotaExceededError) {
              refusedForQuota.add(toHex(sealed.sender))
              return
            }
            expect(outcome, `${step.kind} refused unexpectedly`).not.toBeInstanceOf(Error)
            const result = outcome as DepositOutcome
            // In a batch whose write failed only what was already on disk is answered.
            if (fail) expect(result.duplicate).toBe(true)
            const entry = acked.get(toHex(sealed.id)) ?? { envelope: sealed, sequences: new Set<number>(), firsts: 0 }
            entry.sequences.add(result.sequence)
            if (!result.duplicate) entry.firsts++
            acked.set(toHex(sealed.id), entry)
          })
        }

        // One sequence and one first answer per acknowledged id; the store holds exactly those.
        for (const entry of acked.values()) {
          expect(entry.sequences.size).toBe(1)
          expect(entry.firsts).toBe(1)
        }
        for (const topic of TOPICS) {
          const expected = [...acked.values()].filter(e => e.envelope.topic === topic).map(e => ({ sequence: [...e.sequences][0], envelope: e.envelope.bytes }))
          expected.sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0))
          expect(expected.map(e => e.sequence)).toEqual(expected.map((_, i) => i + 1))
          expect((await store.query(topic, 0, 0, 0)).entries).toEqual(expected)
        }
        expect((await store.stats()).envelopes).toBe(acked.size)
        // The quota on disk is exactly what was stored: each device can store precisely the rest of its allowance.
        for (const device of devices) {
          const stored = [...acked.values()].filter(e => toHex(e.envelope.sender) === toHex(device.publicKey)).length
          expect(stored).toBeLessThanOrEqual(QUOTA)
          if (refusedForQuota.has(toHex(device.publicKey))) expect(stored).toBe(QUOTA)
          let more = 0
          while (more <= QUOTA && await store.deposit(envelope(device, 'p-0', counter++).bytes, NOW).then(() => true, (err: unknown) => { expect(err).toBeInstanceOf(QuotaExceededError); return false })) more++
          expect(stored + more).toBe(QUOTA)
        }
      }), { numRuns: 40 })
    })
  })
})
