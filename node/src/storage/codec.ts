import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from '@dak/protocol'
import { CorruptRecordError } from './errors.js'

/**
 * Records are stored as UTF-8 JSON bytes (valueEncoding 'view') and decoded
 * here rather than by level's 'json' encoding, so that anything unexpected on
 * disk becomes a CorruptRecordError naming the key, not a LEVEL_DECODE_ERROR or
 * a half-typed object that fails later somewhere else.
 */

export function encodeRecord (record: object): Uint8Array {
  return utf8(JSON.stringify(record))
}

/** Encode bytes for a JSON record field. */
export function bytesField (bytes: Uint8Array): string {
  return toBase64Url(bytes)
}

/** Strict UTF-8 text stored as a value (an index entry pointing at another key). */
export function decodeText (bytes: Uint8Array, where: string): string {
  try {
    return fromUtf8(bytes)
  } catch {
    throw new CorruptRecordError(`${where}: value is not UTF-8`)
  }
}

export function decodeRecord<T> (bytes: Uint8Array, where: string, read: (record: RecordReader) => T): T {
  let parsed: unknown
  try {
    parsed = JSON.parse(fromUtf8(bytes))
  } catch {
    throw new CorruptRecordError(`${where}: value is not UTF-8 JSON`)
  }
  return new RecordReader(parsed, where).read(read)
}

/** Reads typed fields out of a parsed JSON value, failing with the record's location. */
export class RecordReader {
  private readonly fields: Record<string, unknown>

  constructor (value: unknown, private readonly where: string) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.corrupt('is not an object')
    this.fields = value as Record<string, unknown>
  }

  read<T> (read: (record: RecordReader) => T): T {
    try {
      return read(this)
    } catch (err) {
      if (err instanceof CorruptRecordError) throw err
      throw this.corrupt(err instanceof Error ? err.message : String(err))
    }
  }

  string (name: string): string {
    const value = this.fields[name]
    if (typeof value !== 'string') throw this.corrupt(`field "${name}" is not a string`)
    return value
  }

  optionalString (name: string): string | undefined {
    return this.fields[name] === undefined ? undefined : this.string(name)
  }

  /** A non-negative safe integer (timestamps, counters, attempts). */
  count (name: string): number {
    const value = this.fields[name]
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw this.corrupt(`field "${name}" is not a non-negative integer`)
    return value
  }

  optionalCount (name: string): number | undefined {
    return this.fields[name] === undefined ? undefined : this.count(name)
  }

  boolean (name: string): boolean {
    const value = this.fields[name]
    if (typeof value !== 'boolean') throw this.corrupt(`field "${name}" is not a boolean`)
    return value
  }

  optionalBoolean (name: string): boolean | undefined {
    return this.fields[name] === undefined ? undefined : this.boolean(name)
  }

  oneOf<T extends string> (name: string, allowed: readonly T[]): T {
    const value = this.string(name)
    if (!(allowed as readonly string[]).includes(value)) throw this.corrupt(`field "${name}" has unknown value "${value.slice(0, 40)}"`)
    return value as T
  }

  bytes (name: string): Uint8Array {
    const value = this.string(name)
    try {
      return fromBase64Url(value)
    } catch {
      throw this.corrupt(`field "${name}" is not base64url`)
    }
  }

  strings (name: string): string[] {
    return this.list(name, (item, where) => {
      if (typeof item !== 'string') throw new CorruptRecordError(`${where} is not a string`)
      return item
    })
  }

  optionalStrings (name: string): string[] | undefined {
    return this.fields[name] === undefined ? undefined : this.strings(name)
  }

  objects<T> (name: string, read: (record: RecordReader) => T): T[] {
    return this.list(name, (item, where) => new RecordReader(item, where).read(read))
  }

  optionalObject<T> (name: string, read: (record: RecordReader) => T): T | undefined {
    const value = this.fields[name]
    return value === undefined ? undefined : new RecordReader(value, `${this.where}.${name}`).read(read)
  }

  corrupt (problem: string): CorruptRecordError {
    return new CorruptRecordError(`${this.where}: ${problem}`)
  }

  private list<T> (name: string, read: (item: unknown, where: string) => T): T[] {
    const value = this.fields[name]
    if (!Array.isArray(value)) throw this.corrupt(`field "${name}" is not an array`)
    return value.map((item: unknown, i) => read(item, `${this.where}.${name}[${i}]`))
  }
}
