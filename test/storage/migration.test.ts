import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from '@noble/ciphers/utils.js'
import { toHex, utf8 } from '@dak/protocol'
import { ClassicLevel } from 'classic-level'
import { afterEach, describe, expect, it } from 'vitest'
import { conversation, incoming, outgoing, T0 } from '../../node/src/storage/contract/fixtures.js'
import { openDeviceStore, type StoredMessage } from '../../node/src/storage/index.js'

/**
 * Upgrade without loss (docs/storage.md, "Migration"): a plain store from
 * before encryption at rest is sealed the first time it opens with a storage
 * key. Here the migrating process is killed with SIGKILL five times, each
 * time after a random number of its batches; the sixth run finishes. Then
 * every message is there exactly once, with its state, the unread counts and
 * the identity are as they were, and no plain record is left on disk.
 */

const CHILD = fileURLToPath(new URL('./migrate-child.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CONVERSATIONS = 4
const PER_CONVERSATION = 800
const KILLS = 5

const dirs: string[] = []
afterEach(async () => { await Promise.all(dirs.splice(0).map(async d => { await rm(d, { recursive: true, force: true }) })) })

const open = (dir: string): ClassicLevel<string, Uint8Array> => new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' })

/** Run the migrating child; kill it after `killAfter` progress lines (never, if undefined). Resolves with the lines it printed. */
async function migrate (dir: string, key: Uint8Array, killAfter?: number): Promise<{ batches: number, done: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, toHex(key)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let batches = 0
  let done = false
  let partial = ''
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  child.stdout.on('data', (chunk: Buffer) => {
    partial += chunk.toString()
    const lines = partial.split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      if (line.includes('"done"')) done = true
      else batches++
      if (killAfter !== undefined && batches >= killAfter) child.kill('SIGKILL')
    }
  })
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`migration did not end in time: ${stderr}`)) }, 120_000)
    child.on('exit', (exitCode) => { clearTimeout(timer); resolve(exitCode) })
  })
  if (killAfter === undefined && code !== 0) throw new Error(`migration failed (${String(code)}): ${stderr}`)
  return { batches, done }
}

describe('migration from a plain store', () => {
  it('survives SIGKILL at random batches five times: nothing lost, nothing duplicated, nothing left in clear', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dak-migrate-'))
    dirs.push(dir)
    const messages: StoredMessage[] = []
    const plain = await openDeviceStore(open(dir))
    await plain.identity.put({ deviceSeed: new Uint8Array(32).fill(7), certificate: utf8('certificate bytes') })
    for (let c = 0; c < CONVERSATIONS; c++) {
      const id = `dak/c/${String(c).padStart(4, '0')}`
      await plain.conversations.create(conversation(id))
      const batch: StoredMessage[] = []
      for (let i = 0; i < PER_CONVERSATION; i++) {
        const text = `PLAIN-CANARY ${c}/${i}`
        // several per millisecond, so order inside one millisecond is tested too
        batch.push(i % 3 === 0 ? { ...outgoing(id, `m${c}-${i}`, T0 + Math.floor(i / 4), 'sent'), text } : incoming(id, `m${c}-${i}`, T0 + Math.floor(i / 4), text))
      }
      for (let i = 0; i < batch.length; i += 100) await plain.commit(batch.slice(i, i + 100).map(message => ({ type: 'message-add' as const, message })))
      messages.push(...batch)
    }
    const unreadBefore = (await plain.conversations.list()).map(c => [c.id, c.unread])
    await plain.close()

    const key = randomBytes(32)
    const killedAt: number[] = []
    for (let kill = 0; kill < KILLS; kill++) {
      const killAfter = 1 + Math.floor(Math.random() * 3)
      const run = await migrate(dir, key, killAfter)
      expect(run.done, `run ${kill} was meant to be killed`).toBe(false)
      killedAt.push(run.batches)
    }
    const last = await migrate(dir, key)
    expect(last.done).toBe(true)

    const sealed = await openDeviceStore(open(dir), { storageKey: key })
    try {
      expect((await sealed.identity.get()).deviceSeed).toEqual(new Uint8Array(32).fill(7))
      expect((await sealed.conversations.list()).map(c => [c.id, c.unread]).sort()).toEqual(unreadBefore.sort())
      for (let c = 0; c < CONVERSATIONS; c++) {
        const id = `dak/c/${String(c).padStart(4, '0')}`
        const read: StoredMessage[] = []
        let before: string | undefined
        for (let page = 0; page < PER_CONVERSATION; page++) {
          const next = await sealed.messages.history(id, { limit: 500, ...(before !== undefined ? { before } : {}) })
          read.unshift(...next.messages)
          before = next.before
          if (before === undefined) break
        }
        const expected = messages.filter(m => m.conversationId === id).sort((a, b) => a.sentAt - b.sentAt || (a.id < b.id ? -1 : 1))
        expect(read).toEqual(expected)
      }
    } finally {
      await sealed.close()
    }
    // nothing in clear anywhere in LevelDB's files (the plain records were erased and compacted away)
    for (const name of await readdir(dir)) {
      expect((await readFile(join(dir, name))).includes(Buffer.from('PLAIN-CANARY')), `${name} holds plain text`).toBe(false)
    }
    process.stdout.write(`migration: ${messages.length} messages, killed after ${killedAt.join(', ')} batches, then finished in ${last.batches} more\n`)
  }, 600_000)
})
