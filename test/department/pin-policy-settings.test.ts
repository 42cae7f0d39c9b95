import { afterEach, describe, expect, it } from 'vitest'
import { LOCK_AFTER_SETTING, REQUIRE_PIN_SETTING } from '../../node/src/messenger/edit-window.js'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from '../messenger/department.js'

/**
 * Issue 14, the department's PIN policy over /dak/settings: a real node
 * started with `requirePin` and a 10-minute `lockAfterMinutes`, a real device
 * that connects to it. The device keeps both in its store (1 for required),
 * where the web client reads them (web/src/platform.ts); a node without the
 * policy says 0.
 */
const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

describe('the department\'s PIN policy reaches its devices', () => {
  it('is kept in the device store when the device connects', async () => {
    await world.start('mof.budget', { requirePin: true, lockAfterMinutes: 10 })
    const open = await world.enrol('asha')
    const asha = await open()
    await waitFor('asha learnt the PIN policy', async () => (await asha.store.prefs.setting(REQUIRE_PIN_SETTING)) === 1, { timeoutMs: 20_000 })
    expect(await asha.store.prefs.setting(LOCK_AFTER_SETTING)).toBe(600_000)
    await asha.stop()
  }, 60_000)

  it('says 0 from a node that does not require a PIN', async () => {
    await world.start('mof.budget')
    const bala = await (await world.enrol('bala'))()
    await waitFor('bala learnt there is no PIN policy', async () => (await bala.store.prefs.setting(REQUIRE_PIN_SETTING)) === 0, { timeoutMs: 20_000 })
    await bala.stop()
  }, 60_000)
})
