import { RunningDakProtocolError } from '../errors.js'

/**
 * The framing of the running-mode socket: each frame is a 4-byte big-endian
 * length and that many bytes of UTF-8 JSON. Frames are bounded both ways, so
 * a confused or hostile peer on the socket cannot make either side buffer
 * without limit; output larger than a frame (a long history) goes as several
 * `stdout` frames.
 */

export const MAX_FRAME_BYTES = 1024 * 1024
/** Output is cut into pieces of this many UTF-16 units: even escaped to \u00XX each stays under MAX_FRAME_BYTES. */
export const OUTPUT_CHUNK = 64 * 1024
/** Bumped when the frames change: a client and a running dak of different versions refuse each other plainly. */
export const PROTOCOL_VERSION = 1

/** The first frame of a connection: run this command line as if typed in `cwd`. */
export interface RunRequest {
  t: 'run'
  version: number
  argv: string[]
  /** The data directory as the client named it (the running dak prints it as given). */
  dataDir: string
  cwd: string
  stdinIsTTY: boolean
}

export type ClientFrame =
  | RunRequest
  /** Answer to read-stdin: base64 of at most `max` + 1 bytes. */
  | { t: 'stdin', data: string }
  /** The client got SIGINT/SIGTERM: stop the command as that signal would stop it standalone. */
  | { t: 'signal' }

export type ServerFrame =
  | { t: 'stdout', data: string }
  | { t: 'stderr', data: string }
  /** The command wants the client's standard input (`dak send NAME -`). */
  | { t: 'read-stdin', max: number }
  | { t: 'exit', code: number }

export function encodeFrame (frame: ClientFrame | ServerFrame): Uint8Array {
  const body = Buffer.from(JSON.stringify(frame), 'utf8')
  if (body.length > MAX_FRAME_BYTES) throw new RunningDakProtocolError(`a ${frame.t} frame of ${body.length} bytes is over the ${MAX_FRAME_BYTES}-byte limit`)
  const header = Buffer.alloc(4)
  header.writeUInt32BE(body.length)
  return Buffer.concat([header, body])
}

/** Collects bytes from the socket and hands out whole frames; throws on an oversized or malformed one. */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0)

  push (chunk: Uint8Array): unknown[] {
    this.buffered = this.buffered.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffered, chunk])
    const frames: unknown[] = []
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32BE(0)
      if (length > MAX_FRAME_BYTES) throw new RunningDakProtocolError(`a frame of ${length} bytes is over the ${MAX_FRAME_BYTES}-byte limit`)
      if (this.buffered.length < 4 + length) break
      const body = this.buffered.subarray(4, 4 + length).toString('utf8')
      this.buffered = this.buffered.subarray(4 + length)
      let value: unknown
      try {
        value = JSON.parse(body)
      } catch {
        throw new RunningDakProtocolError('a frame that is not JSON')
      }
      if (typeof value !== 'object' || value == null || typeof (value as { t?: unknown }).t !== 'string') throw new RunningDakProtocolError('a frame with no type')
      frames.push(value)
    }
    return frames
  }
}

/** The run request, checked field by field: it comes from another process. */
export function checkRunRequest (value: unknown): RunRequest {
  const o = value as Partial<RunRequest>
  if (o.t !== 'run') throw new RunningDakProtocolError('the first frame must be a run request')
  if (o.version !== PROTOCOL_VERSION) throw new RunningDakProtocolError(`this dak speaks running-mode version ${PROTOCOL_VERSION}, the client ${String(o.version)}: use the same dak for both`)
  if (!Array.isArray(o.argv) || o.argv.length > 10_000 || !o.argv.every(a => typeof a === 'string')) throw new RunningDakProtocolError('argv must be a list of strings')
  if (typeof o.dataDir !== 'string' || typeof o.cwd !== 'string' || typeof o.stdinIsTTY !== 'boolean') throw new RunningDakProtocolError('a run request needs dataDir, cwd and stdinIsTTY')
  return { t: 'run', version: o.version, argv: o.argv, dataDir: o.dataDir, cwd: o.cwd, stdinIsTTY: o.stdinIsTTY }
}

/** Text cut into frames of at most OUTPUT_CHUNK units each. */
export function * outputFrames (stream: 'stdout' | 'stderr', text: string): Generator<ServerFrame> {
  let i = 0
  while (i < text.length) {
    let end = Math.min(text.length, i + OUTPUT_CHUNK)
    // never between the two halves of a surrogate pair: the client writes each piece as UTF-8
    if (end < text.length && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--
    yield { t: stream, data: text.slice(i, end) }
    i = end
  }
}
