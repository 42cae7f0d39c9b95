import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import { dak, killAll } from './dak-process.js'
import { DepartmentFixture } from './department-node.js'

/**
 * `dak devices`: an officer's devices with their state. A second device
 * enrolled under a handle Asha already talks to shows as NEW, the chat says
 * so, and `--accept` makes it accepted (the safety number's change is
 * test/threats/ghost-device.test.ts's).
 */

const fixture = new DepartmentFixture()

afterEach(async () => {
  await killAll()
  await fixture.cleanup()
})

describe('dak devices', () => {
  it('lists a new device under a known handle as new, and accepts it by a key prefix', async () => {
    await fixture.start()
    const { asha, bala } = await fixture.ashaChatsWithBala()
    const balaKey = (await dak(bala, ['whoami', '--json'])).lines[0]?.deviceKey as string

    const second = await fixture.officer('bala', 'Bala Iyer')
    const secondKey = (await dak(second, ['whoami', '--json'])).lines[0]?.deviceKey as string
    const listed = await dak(asha, ['devices', 'bala', '--json'])
    expect(listed.code, listed.stdout + listed.stderr).toBe(EXIT.ok)
    const devices = listed.lines[0]?.devices as Array<{ deviceKey: string, state: string }>
    expect(devices.map(d => [d.deviceKey, d.state]).sort()).toEqual([[balaKey, 'accepted'], [secondKey, 'new']].sort())
    const history = await dak(asha, ['history', 'bala', '--json'])
    expect((history.lines[0]?.messages as Array<{ text: string }>).some(m => m.text.startsWith('Bala Iyer has a new device'))).toBe(true)

    const unknown = await dak(asha, ['devices', 'bala', '--accept', '000000000000'])
    expect(unknown.code, unknown.stdout + unknown.stderr).toBe(EXIT.notFound)
    const accepted = await dak(asha, ['devices', 'bala', '--accept', secondKey.slice(0, 12), '--json'])
    expect(accepted.code, accepted.stdout + accepted.stderr).toBe(EXIT.ok)
    expect((accepted.lines[0]?.devices as Array<{ state: string }>).every(d => d.state === 'accepted')).toBe(true)
  }, 180_000)
})
