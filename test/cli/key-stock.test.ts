import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import { dak, dakInBackground, killAll } from './dak-process.js'
import { DepartmentFixture } from './department-node.js'

/** The repro: many short `dak` runs, then a listener that must still catch up. */

const fixture = new DepartmentFixture()

afterEach(async () => {
  await killAll()
  await fixture.cleanup()
})

const RUNS = 14

describe('a device that connects often', () => {
  it(`still catches up in \`dak listen\` after ${RUNS} \`dak status\` runs`, async () => {
    await fixture.start()
    const asha = await fixture.officer('asha', 'Asha Rao')
    const bala = await fixture.officer('bala', 'Bala Iyer')
    const chat = await dak(asha, ['chat', 'new', '--with', 'bala', '--json'])
    expect(chat.code, chat.stdout + chat.stderr).toBe(EXIT.ok)
    expect((await dak(bala, ['history', 'Asha', '--json'])).code).toBe(EXIT.ok)
    for (let i = 0; i < RUNS; i++) {
      const status = await dak(bala, ['status', '--json'])
      expect(status.code, `run ${i}: ${status.stdout}${status.stderr}`).toBe(EXIT.ok)
      expect(status.stderr, `run ${i}`).not.toContain('QuotaExceededError')
    }
    expect((await dak(asha, ['send', 'Bala', 'sent while bala was away', '--json'])).code).toBe(EXIT.ok)
    const listening = dakInBackground(bala, ['listen', '--wait', '0', '--json'])
    await listening.waitFor('the message caught up', l => l.event === 'message' && l.message.text === 'sent while bala was away', 60_000)
    expect(await listening.stop('SIGINT')).toBe(EXIT.ok)
  }, 300_000)
})
