import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import { dak, killAll } from './dak-process.js'
import { DepartmentFixture } from './department-node.js'

/**
 * Issue 16, linked devices, with `dak` processes and a real department node:
 * `dak device link` on an enrolled device gets a one-time code, and
 * `dak init --link CODE` enrols a new device as the same officer.
 */

const fixture = new DepartmentFixture()

afterEach(async () => {
  await killAll()
  await fixture.cleanup()
})

describe('dak device link', () => {
  it('enrols a second device of the same officer with the code the first one got', async () => {
    const node = await fixture.start()
    const asha = await fixture.officer('asha', 'Asha Rao')
    const link = await dak(asha, ['device', 'link', '--json'])
    expect(link.code, link.stdout + link.stderr).toBe(EXIT.ok)
    const { code, url, handle } = link.lines[0] as { code: string, url: string, handle: string }
    expect(handle).toBe('asha')
    expect(code).toMatch(/^DAK-/)
    expect(url).toMatch(/^dak:invite\//)

    const second = await fixture.tempDir('asha-phone')
    const init = await dak(second, ['init', '--link', code, '--node', node.httpUrl, '--json'])
    expect(init.code, init.stdout + init.stderr).toBe(EXIT.ok)
    const first = (await dak(asha, ['whoami', '--json'])).lines[0]
    const phone = (await dak(second, ['whoami', '--json'])).lines[0]
    expect(phone).toMatchObject({ handle: 'asha', displayName: 'Asha Rao' })
    expect(phone?.deviceKey).not.toBe(first?.deviceKey)
    // the code enrols one device only
    const third = await dak(await fixture.tempDir('asha-third'), ['init', '--link', url, '--node', node.httpUrl, '--json'])
    expect(third.code, third.stdout + third.stderr).not.toBe(EXIT.ok)
    expect(third.stdout + third.stderr).toMatch(/InviteAlreadyUsedError/)
  }, 180_000)

  it('gives a revoked device no code', async () => {
    const node = await fixture.start()
    const asha = await fixture.officer('asha', 'Asha Rao')
    await node.revoke({ handle: 'asha' })
    const link = await dak(asha, ['device', 'link', '--json'])
    expect(link.code, link.stdout + link.stderr).toBe(EXIT.revoked)
  }, 180_000)
})
