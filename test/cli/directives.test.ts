import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { decodeEvidence, encodeEvidence } from '@dak/protocol'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import { dak, killAll } from './dak-process.js'
import { DepartmentFixture } from './department-node.js'

/**
 * Issue 16 on the command line, through a real department node: a directive
 * sent, acknowledged, its status, the export checked by `dak verify` with
 * only the trust bundle (files, as an auditor has them), and a tampered
 * export refused with exit 10; edit, search and mute.
 */

const fixture = new DepartmentFixture()

/** `dak history` (which catches up) until the edit is in, a bounded number of times. */
async function waitForEdit (dir: string, conversation: string): Promise<void> {
  let last = ''
  for (let attempt = 0; attempt < 5; attempt++) {
    const history = await dak(dir, ['history', conversation, '--json', '--wait', '20'])
    if ((history.lines[0]?.messages as Array<{ text: string }> | undefined)?.some(m => m.text.includes('revised'))) return
    last = history.stdout + history.stderr
  }
  throw new Error(`the edit never reached bala; the last history said:\n${last}`)
}

afterEach(async () => {
  await killAll()
  await fixture.cleanup()
})

describe('dak directive, verify, edit, search', () => {
  it('sends, acknowledges, reports, exports and verifies offline; refuses a tampered file', async () => {
    await fixture.start()
    const asha = await fixture.officer('asha', 'Asha Rao')
    const bala = await fixture.officer('bala', 'Bala Iyer')
    const group = await dak(asha, ['group', 'create', 'Relief cell', '--members', 'bala', '--json', '--wait', '30'])
    expect(group.code, group.stdout + group.stderr).toBe(EXIT.ok)
    const conversation = group.lines[0]?.id as string

    const sent = await dak(asha, ['directive', 'send', conversation, 'Open the relief camps by Sunday.', '--deadline', '+2d', '--json', '--wait', '30'])
    expect(sent.code, sent.stdout + sent.stderr).toBe(EXIT.ok)
    const history = await dak(asha, ['history', conversation, '--json'])
    const id = (history.lines[0]?.messages as Array<{ id: string, directive?: unknown }>).find(m => m.directive != null)?.id as string
    expect(id).toMatch(/^[0-9a-f]{64}$/)

    // bala catches up and acknowledges by an id prefix
    const ack = await dak(bala, ['directive', 'ack', 'Relief', id.slice(0, 10), '--wait', '30'])
    expect(ack.code, ack.stdout + ack.stderr).toBe(EXIT.ok)
    expect(ack.stdout).toMatch(/acknowledged \(signed\)/)

    const status = await dak(asha, ['directive', 'status', id.slice(0, 12), '--wait', '30'])
    expect(status.code, status.stdout + status.stderr).toBe(EXIT.ok)
    expect(status.stdout).toMatch(/1 acknowledged, 0 read, 0 received, 0 not received/)
    expect(status.stdout).toMatch(/Bala Iyer \(bala\): acknowledged/)

    const file = join(await fixture.tempDir('evidence'), 'relief.dakdirective')
    const exported = await dak(asha, ['directive', 'export', id, '--out', file])
    expect(exported.code, exported.stdout + exported.stderr).toBe(EXIT.ok)

    // an auditor with the department's trust bundle as files, no device of their own
    const trust = join(await fixture.tempDir('auditor'), 'budget.trust')
    const trustExport = await dak(asha, ['trust', 'export', '--out', trust, '--json'])
    expect(trustExport.code, trustExport.stdout + trustExport.stderr).toBe(EXIT.ok)
    const lists = trustExport.lines[0]?.revocations as string[]
    const verified = await dak(undefined, ['verify', file, '--trust', trust, ...lists.flatMap(l => ['--revocations', l])])
    expect(verified.code, verified.stdout + verified.stderr).toBe(EXIT.ok)
    expect(verified.stdout).toMatch(/verified/)
    expect(verified.stdout).toMatch(/Bala Iyer \(bala, Section Officer\) at/)
    // and on a device, with its own trust bundle
    expect((await dak(bala, ['verify', file])).code).toBe(EXIT.ok)

    // bala's acknowledgement moved to another time after signing: refused, with the reason
    const evidence = decodeEvidence(new Uint8Array(await readFile(file)))
    const tampered = join(await fixture.tempDir('tampered'), 'relief.dakdirective')
    await writeFile(tampered, encodeEvidence({ ...evidence, acks: evidence.acks.map(a => ({ ...a, acknowledgedAt: a.acknowledgedAt - 60_000 })) }))
    const refused = await dak(undefined, ['verify', tampered, '--trust', trust, '--json'])
    expect(refused.code, refused.stdout + refused.stderr).toBe(EXIT.evidenceRefused)
    expect(refused.stdout + refused.stderr).toMatch(/EvidenceRefusedError/)
    expect(refused.stdout + refused.stderr).toMatch(/InvalidSignatureError: acknowledgement by bala: signature does not verify/)

    // edit your own message, search for it (both scripts), mute
    const message = await dak(asha, ['send', conversation, 'Camp list attached: ریلیف کیمپ', '--json', '--wait', '30'])
    expect(message.code, message.stdout + message.stderr).toBe(EXIT.ok)
    const edit = await dak(asha, ['edit', conversation, message.lines[0]?.id as string, 'Camp list attached, revised: ریلیف کیمپ', '--wait', '30'])
    expect(edit.code, edit.stdout + edit.stderr).toBe(EXIT.ok)
    // search reads only this device: bala catches up first
    await waitForEdit(bala, conversation)
    const found = await dak(bala, ['search', 'REVISED', '--json'])
    expect(found.code, found.stdout + found.stderr).toBe(EXIT.ok)
    expect(found.lines[0]?.[0]?.message).toMatchObject({ text: 'Camp list attached, revised: ریلیف کیمپ', editedAt: expect.any(Number) })
    expect((await dak(bala, ['search', 'کیمپ'])).code).toBe(EXIT.ok)
    expect((await dak(bala, ['search', 'nowhere'])).code).toBe(EXIT.notFound)
    const refusedEdit = await dak(bala, ['edit', conversation, message.lines[0]?.id as string, 'not mine', '--json'])
    expect(refusedEdit.code).toBe(EXIT.failed)
    expect(refusedEdit.stdout + refusedEdit.stderr).toMatch(/EditRefusedError/)
    expect((await dak(bala, ['mute', 'Relief', '--json'])).lines[0]).toMatchObject({ muted: true })
  }, 420_000)
})
