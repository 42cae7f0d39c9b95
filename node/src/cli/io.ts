import type { CommandIO } from './command.js'

/** This process's own standard streams, as a command sees them when it runs here. */
export function processIO (): CommandIO {
  return {
    stdout: (text) => { process.stdout.write(text) },
    stderr: (text) => { process.stderr.write(text) },
    cwd: process.cwd(),
    stdin: { isTTY: process.stdin.isTTY === true, read: async (maxBytes) => await readBounded(process.stdin, maxBytes) }
  }
}

/**
 * A stream to its end, but no more than `maxBytes` + 1 bytes: enough to tell
 * "too long" without holding a runaway pipe in memory. Stops reading there.
 */
export async function readBounded (stream: AsyncIterable<Uint8Array | string>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk)
    chunks.push(bytes)
    total += bytes.length
    if (total > maxBytes) break
  }
  return Buffer.concat(chunks).subarray(0, maxBytes + 1)
}
