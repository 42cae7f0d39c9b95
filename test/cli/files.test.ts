import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import type { ProvisionedDevice } from '../helpers/provision.js'
import { dak, dakInBackground, killAll } from './dak-process.js'
import { lanPair } from './lan-pair.js'

/**
 * `dak send-file`, `dak history` and `dak download` (docs/node.md, docs/files.md)
 * on a LAN with no department node: the file lives on the sender's device,
 * which serves it to the receiver while its `dak listen` runs. A small file
 * is fetched by itself (auto-download); a larger one on `dak download`.
 */

const devices: ProvisionedDevice[] = []

afterEach(async () => {
  await killAll()
  await Promise.all(devices.splice(0).map(async d => { await d.cleanup() }))
})

describe('dak send-file and dak download', () => {
  it('sends a file, lists it in the history, and saves it checked on the other device', async () => {
    const [asha, bala] = await lanPair(devices)
    const balaListen = dakInBackground(bala.dir, ['listen', '--json'])
    const address = ((await balaListen.waitFor('listening', l => l.event === 'listening')).addresses as string[])[0] as string
    const ashaListen = dakInBackground(asha.dir, ['listen', '--json', '--peer', address])
    await ashaListen.waitFor('listening', l => l.event === 'listening')
    const started = await dak(asha.dir, ['chat', 'new', '--with', 'bala', '--json', '--wait', '30'])
    expect(started.code, started.stdout + started.stderr).toBe(EXIT.ok)
    const conversation = started.lines[0]?.id as string
    await balaListen.waitFor('bala joins', l => l.event === 'conversation' && l.conversation.id === conversation)

    const big = new Uint8Array(randomBytes(2_500_000))
    const small = new Uint8Array(randomBytes(20_000))
    await writeFile(join(asha.dir, 'survey.pdf'), big)
    await writeFile(join(asha.dir, 'note.txt'), small)
    const sentBig = await dak(asha.dir, ['send-file', conversation, join(asha.dir, 'survey.pdf'), '--json', '--wait', '30'])
    expect(sentBig.code, sentBig.stdout + sentBig.stderr).toBe(EXIT.ok)
    expect(sentBig.lines[0]).toMatchObject({ name: 'survey.pdf', mediaType: 'application/pdf', size: big.length, state: 'delivered' })
    const sentSmall = await dak(asha.dir, ['send-file', conversation, join(asha.dir, 'note.txt'), '--name', 'minutes.txt', '--json', '--wait', '30'])
    expect(sentSmall.code, sentSmall.stdout + sentSmall.stderr).toBe(EXIT.ok)
    const id = sentBig.lines[0]?.id as string

    // the small one is fetched on arrival; the large one waits to be asked for
    await balaListen.waitFor('minutes.txt auto-downloaded', l => l.event === 'file-progress' && l.state === 'complete' && l.messageId === sentSmall.lines[0]?.id, 60_000)
    const history = await dak(bala.dir, ['history', conversation])
    expect(history.code, history.stderr).toBe(EXIT.ok)
    expect(history.stdout).toContain(`[file survey.pdf, 2.5 MB, application/pdf] ${id.slice(0, 12)} (not downloaded: dak download ${id.slice(0, 12)})`)
    expect(history.stdout).toContain('[file minutes.txt, 20 kB, text/plain]')
    expect(history.stdout).toMatch(/minutes\.txt.*\(downloaded\)/)

    const out = join(bala.dir, 'saved.pdf')
    const downloaded = await dak(bala.dir, ['download', id.slice(0, 12), '--out', out, '--json'])
    expect(downloaded.code, downloaded.stdout + downloaded.stderr).toBe(EXIT.ok)
    expect(downloaded.lines[0]).toMatchObject({ path: out, size: big.length, mediaType: 'application/pdf' })
    expect(Buffer.from(await readFile(out)).equals(Buffer.from(big))).toBe(true)
    // never over an existing file; an unknown id is a usage error
    expect((await dak(bala.dir, ['download', id.slice(0, 12), '--out', out])).code).toBe(EXIT.usage)
    expect((await dak(bala.dir, ['download', 'ffffffffffff'])).code).toBe(EXIT.usage)
    const after = await dak(bala.dir, ['history', conversation])
    expect(after.stdout).toMatch(/survey\.pdf.*\(downloaded\)/)
  }, 300_000)
})
