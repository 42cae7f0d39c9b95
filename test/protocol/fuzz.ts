import fc from 'fast-check'
import { DakError } from '@dak/protocol'

/**
 * Input generators for the decoder property tests: random bytes, bytes that
 * look like protobuf (so parsing goes deep instead of failing on byte one),
 * and mutations of valid encodings (so checks after parsing are reached).
 */

/** Runs per property. DAK_FUZZ_RUNS=100000 for the threat model's soak figure; the default keeps `npm test` fast. */
export const RUNS = Number(process.env.DAK_FUZZ_RUNS ?? 0) || undefined

export function runs (quick: number): number {
  return RUNS ?? quick
}

/** Call `decode`; a DakError is a pass, anything else thrown fails the property. Returns the value when accepted. */
export function onlyDakErrors<T> (decode: () => T): { accepted: true, value: T } | { accepted: false, error: DakError } {
  try {
    return { accepted: true, value: decode() }
  } catch (err) {
    if (err instanceof DakError) return { accepted: false, error: err }
    throw err
  }
}

function varint (value: number): number[] {
  const out: number[] = []
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80)
    value = Math.floor(value / 0x80)
  }
  return [...out, value]
}

/** One protobuf field with any wire type (including the group and invalid ones) and a plausible or hostile payload. */
const field: fc.Arbitrary<number[]> = fc.record({
  number: fc.integer({ min: 0, max: 20 }),
  wireType: fc.integer({ min: 0, max: 7 }),
  value: fc.oneof(fc.nat(), fc.constant(2 ** 32 - 1), fc.constant(Number.MAX_SAFE_INTEGER)),
  bytes: fc.uint8Array({ maxLength: 48 })
}).map(({ number, wireType, value, bytes }) => {
  const tag = varint(number * 8 + wireType)
  if (wireType === 2) return [...tag, ...varint(value % 3 === 0 ? value : bytes.length), ...bytes]
  return [...tag, ...varint(value), ...bytes.subarray(0, wireType === 1 ? 8 : wireType === 5 ? 4 : 0)]
})

/** Byte strings built from protobuf-shaped fields, sometimes nested one level as a length-delimited body. */
export const protobufish: fc.Arbitrary<Uint8Array> = fc.array(field, { maxLength: 24 }).chain(fields => {
  const flat = fields.flat()
  return fc.oneof(
    fc.constant(new Uint8Array(flat)),
    fc.constant(new Uint8Array([0x0a, ...varint(flat.length), ...flat, 0x12, 0x40, ...new Array(64).fill(7)]))
  )
})

export const randomBytes: fc.Arbitrary<Uint8Array> = fc.oneof(fc.uint8Array({ maxLength: 600 }), protobufish)

type Mutation =
  | { op: 'flip', at: number, bit: number }
  | { op: 'set', at: number, value: number }
  | { op: 'insert', at: number, bytes: Uint8Array }
  | { op: 'delete', at: number, length: number }
  | { op: 'truncate', at: number }
  | { op: 'duplicate', at: number, length: number }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(0x00, 0x7f, 0x80, 0xff), fc.integer({ min: 0, max: 255 })) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.constant(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]))) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) })
)

function apply (bytes: Uint8Array, m: Mutation): Uint8Array {
  const at = bytes.length === 0 ? 0 : m.at % bytes.length
  const before = bytes.subarray(0, at)
  switch (m.op) {
    case 'flip': { const out = bytes.slice(); if (out.length > 0) out[at] = (out[at] ?? 0) ^ (1 << m.bit); return out }
    case 'set': { const out = bytes.slice(); if (out.length > 0) out[at] = m.value; return out }
    case 'insert': return new Uint8Array([...before, ...m.bytes, ...bytes.subarray(at)])
    case 'delete': return new Uint8Array([...before, ...bytes.subarray(at + m.length)])
    case 'truncate': return bytes.slice(0, at)
    case 'duplicate': return new Uint8Array([...bytes.subarray(0, at + m.length), ...bytes.subarray(at)])
  }
}

/** 1 to 4 mutations of one of `valid` (copied: decoders return views of their input). */
export function mutationsOf (valid: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.constantFrom(...valid), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([bytes, ms]) => ms.reduce(apply, bytes.slice()))
}

/** Strings with any UTF-16 code unit, lone surrogates included. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200, unit: 'binary' }),
  fc.string({ maxLength: 200, unit: fc.integer({ min: 0, max: 0xffff }).map(c => String.fromCharCode(c)) })
)

/** 1 to 4 character-level edits of one of `valid`. */
export function stringMutationsOf (valid: string[]): fc.Arbitrary<string> {
  const edit = fc.record({ at: fc.nat(), kind: fc.integer({ min: 0, max: 3 }), text: fc.string({ minLength: 1, maxLength: 3, unit: 'binary' }) })
  return fc.tuple(fc.constantFrom(...valid), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([text, edits]) => edits.reduce((s, e) => {
    const at = s.length === 0 ? 0 : e.at % s.length
    if (e.kind === 0) return s.slice(0, at) + e.text + s.slice(at + 1)
    if (e.kind === 1) return s.slice(0, at) + e.text + s.slice(at)
    if (e.kind === 2) return s.slice(0, at) + s.slice(at + 1)
    return s.slice(0, at) + (s[at] === s[at]?.toUpperCase() ? (s[at] ?? '').toLowerCase() : (s[at] ?? '').toUpperCase()) + s.slice(at + 1)
  }, text))
}
