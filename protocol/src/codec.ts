import { MalformedInputError, TooLargeError, asDakError } from './errors.js'
import type { DecodeOptions } from 'protons-runtime'

/** The part of a protons-generated message namespace that Dak uses. */
export interface MessageCodec<T> {
  encode: (value: Partial<T>) => Uint8Array
  decode: (bytes: Uint8Array, options?: DecodeOptions<T>) => T
}

/**
 * Decode untrusted bytes with a protons codec, bounded in size before any
 * parsing, and turn every failure into a MalformedInputError. Repeated-field
 * counts are bounded by the `limit` options in the .proto files.
 */
export function decodeBounded<T> (codec: MessageCodec<T>, bytes: Uint8Array, maxBytes: number, what: string, options?: DecodeOptions<T>): T {
  if (!(bytes instanceof Uint8Array)) throw new MalformedInputError(`${what}: expected bytes`)
  if (bytes.length > maxBytes) throw new TooLargeError(`${what}: ${bytes.length} bytes is over the limit of ${maxBytes}`)
  try {
    return codec.decode(bytes, options)
  } catch (err) {
    throw asDakError(err, (message) => new MalformedInputError(`${what}: ${message}`))
  }
}
