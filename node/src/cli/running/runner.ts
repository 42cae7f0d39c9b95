import type { CommandIO } from '../command.js'
import { runDak } from '../dispatch.js'
import { RunningDakGoneError } from '../errors.js'
import type { Host } from '../host.js'
import { connectRunning, runThere } from './client.js'

/**
 * Runs `dak` command lines on a device for the interactive chat: in this
 * process on the device it opened (localRunner), or in the running dak that
 * serves the data directory (remoteRunner). Either way the command is the
 * same dispatch and the same command code as on the command line.
 */
export interface CommandRunner {
  /** Where the commands run, for the chat's first line. */
  where: string
  run: (argv: string[], options: RunOptions) => Promise<number>
}

export interface RunOptions {
  onStdout: (text: string) => void
  onStderr: (text: string) => void
  /** What the command reads from standard input (`dak send NAME -`). */
  stdin?: string
  signal: AbortSignal
}

function ioFor (options: RunOptions, cwd: string): CommandIO {
  return {
    stdout: options.onStdout,
    stderr: options.onStderr,
    cwd,
    stdin: { isTTY: options.stdin == null, read: async (maxBytes) => Buffer.from(options.stdin ?? '').subarray(0, maxBytes + 1) }
  }
}

export function localRunner (host: Host, env: NodeJS.ProcessEnv, dataDir: string): CommandRunner {
  return {
    where: 'this process',
    run: async (argv, options) => await runDak(argv, env, options.signal, { io: ioFor(options, process.cwd()), host, dataDir })
  }
}

export function remoteRunner (dataDir: string): CommandRunner {
  return {
    where: 'the running dak',
    async run (argv, options) {
      const socket = await connectRunning(dataDir)
      if (socket == null) throw new RunningDakGoneError(`the running dak on ${dataDir} has stopped`)
      return await runThere(socket, { argv, dataDir }, ioFor(options, process.cwd()), options.signal)
    }
  }
}

/** Calls `onLine` with each whole line of a stream of text pieces (remote output comes in pieces of any size). */
export function lineSplitter (onLine: (line: string) => void): (text: string) => void {
  let partial = ''
  return (text) => {
    partial += text
    const lines = partial.split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) if (line !== '') onLine(line)
  }
}
