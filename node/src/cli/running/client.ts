import { connect, type Socket } from 'node:net'
import type { CommandIO } from '../command.js'
import { RunningDakGoneError, StaleSocketError } from '../errors.js'
import { encodeFrame, FrameReader, MAX_FRAME_BYTES, PROTOCOL_VERSION, type ServerFrame } from './frames.js'
import { runningModeUnsupported, socketPathOf, socketToTry } from './socket-path.js'

/**
 * Running mode, the client side: when a `dak listen` or `dak chat` serves
 * the data directory, a command is sent there to run (server.ts) instead of
 * opening the store itself, which it could not while that process holds it.
 */

/** A connection to the running dak of `dataDir`, or undefined when none runs (no socket, or a stale one: StaleSocketError is caught here). */
export async function connectRunning (dataDir: string): Promise<Socket | undefined> {
  if (runningModeUnsupported(dataDir) != null) return undefined
  if (!(await socketToTry(dataDir))) return undefined
  try {
    return await openSocket(socketPathOf(dataDir))
  } catch (err) {
    if (err instanceof StaleSocketError) return undefined
    throw err
  }
}

async function openSocket (path: string): Promise<Socket> {
  return await new Promise<Socket>((resolve, reject) => {
    const socket = connect(path)
    socket.once('connect', () => { socket.off('error', reject); resolve(socket) })
    socket.once('error', (err: NodeJS.ErrnoException) => {
      // a socket file with no process behind it: the dak that made it was killed
      if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT') reject(new StaleSocketError(`${path} is left from a dak that is no longer running`))
      else reject(err)
    })
  })
}

/**
 * Run `argv` in the running dak over `socket`: its stdout and stderr are
 * written to `io`, stdin is sent when the command asks for it, `signal` is
 * passed on as the command's own Ctrl-C. Resolves with the command's exit code.
 */
export async function runThere (socket: Socket, request: { argv: string[], dataDir: string }, io: CommandIO, signal: AbortSignal): Promise<number> {
  const reader = new FrameReader()
  const onSignal = (): void => { if (!socket.destroyed) socket.write(encodeFrame({ t: 'signal' })) }
  signal.addEventListener('abort', onSignal, { once: true })
  try {
    return await new Promise<number>((resolve, reject) => {
      let code: number | undefined
      socket.on('data', (chunk: Buffer) => {
        let frames: unknown[]
        try {
          frames = reader.push(chunk)
        } catch (err) {
          socket.destroy()
          reject(err)
          return
        }
        for (const frame of frames as ServerFrame[]) {
          if (frame.t === 'stdout' && typeof frame.data === 'string') io.stdout(frame.data)
          else if (frame.t === 'stderr' && typeof frame.data === 'string') io.stderr(frame.data)
          else if (frame.t === 'exit' && Number.isInteger(frame.code)) code = frame.code
          else if (frame.t === 'read-stdin' && Number.isInteger(frame.max) && frame.max >= 0 && frame.max < MAX_FRAME_BYTES / 2) {
            io.stdin.read(frame.max).then(
              (bytes) => { if (!socket.destroyed) socket.write(encodeFrame({ t: 'stdin', data: Buffer.from(bytes).toString('base64') })) },
              (err: unknown) => { socket.destroy(); reject(err) })
          }
        }
      })
      socket.on('error', (err) => { reject(new RunningDakGoneError(`lost the running dak: ${err.message}`)) })
      socket.on('close', () => {
        if (code != null) resolve(code)
        else reject(new RunningDakGoneError('the running dak (dak listen or dak chat) stopped before the command finished: it may or may not have been done (check with dak history)'))
      })
      socket.write(encodeFrame({ t: 'run', version: PROTOCOL_VERSION, argv: request.argv, dataDir: request.dataDir, cwd: io.cwd, stdinIsTTY: io.stdin.isTTY }))
    })
  } finally {
    signal.removeEventListener('abort', onSignal)
  }
}
