/**
 * Issue 16 part 1 in the browser: Ravi's desk tab links a second device.
 * "My devices" gets a one-time code (and its QR) from the department node; a
 * Node.js device enrols with that code as Ravi; Ravi types the key it shows,
 * and the tab vouches for it, so it joins his chat with Mehta and reads and
 * writes there (its texts shown on the tab as his own); then the tab removes
 * it, and it reads nothing written after. Real Chromium, a real department
 * node, real level stores.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enrolDevice } from '../../node/src/device/enrol-device.js'
import { openDevice, type OpenDevice } from '../../node/src/device/open-device.js'
import { waitFor } from '../helpers/wait.js'
import { openDeskAndField, type DeskAndFieldWorld } from './desk-and-field-world.js'
import { message, openConversation, waitForMessage } from './page.js'

let world: DeskAndFieldWorld | undefined
let phone: OpenDevice | undefined
let phoneDir: string | undefined

beforeAll(async () => { world = await openDeskAndField() }, 180_000)
afterAll(async () => {
  await phone?.stop().catch(() => {})
  if (phoneDir !== undefined) await rm(phoneDir, { recursive: true, force: true })
  await world?.stop()
})

const texts = async (device: OpenDevice, conversationId: string): Promise<string[]> =>
  (await device.messenger.history(conversationId)).messages.map(m => m.text)

describe('linking a device from the browser', () => {
  it('gives a code, vouches for the device that enrolled with it, and removes it again', async () => {
    if (world === undefined) throw new Error('the world did not start')
    const { page, mehta, direct, department } = world
    await page.getByTestId('my-devices-button').click()
    await page.locator('[data-testid=my-devices] [data-this-device=true]').waitFor()

    // the code and its QR, from the department node
    await page.getByTestId('link-device').click()
    const code = (await page.getByTestId('link-code').textContent({ timeout: 30_000 }))?.trim() ?? ''
    expect(code).toMatch(/^DAK-/)
    expect(await page.locator('canvas').count()).toBe(1)

    // a second device enrols with it, as Ravi
    phoneDir = await mkdtemp(join(tmpdir(), 'dak-ravi-phone-'))
    const db = (): ClassicLevel<string, Uint8Array> => new ClassicLevel<string, Uint8Array>(join(phoneDir as string, 'db'), { valueEncoding: 'view' })
    await enrolDevice({ db: db(), invite: code, nodeUrl: department.node.httpUrl })
    phone = await openDevice({ db: db(), bootstrap: department.node.multiaddrs().filter(a => /\/tcp\/\d+\/p2p\//.test(a)) })
    const phoneKey = phone.messenger.whoami().deviceKey
    expect(phone.messenger.whoami().handle).toBe('ravi')

    // Ravi types the key the phone shows: the tab finds it in the department's directory and vouches for it
    await page.getByTestId('vouch-key').fill(phoneKey.slice(0, 16))
    await page.getByTestId('vouch-button').click()
    await page.getByTestId('devices-outcome').filter({ hasText: 'is yours: being added to 1 conversation' }).waitFor({ timeout: 30_000 })
    await page.locator(`[data-testid=my-devices] [data-device-key="${phoneKey}"][data-state=accepted]`).waitFor()
    const phoneNow = phone
    await waitFor('the phone joined the chat with mehta', async () => (await phoneNow.messenger.conversations()).some(c => c.id === direct),
      { subscribe: (wake) => phoneNow.messenger.on('conversation', wake), timeoutMs: 60_000 })

    // both of Ravi's devices read Mehta; what the phone writes shows on the tab as Ravi's own
    await mehta.messenger.send(direct, 'To both your devices, Ravi.')
    await openConversation(page, direct)
    await waitForMessage(page, 'To both your devices, Ravi.')
    await waitFor('the phone read mehta', async () => (await texts(phoneNow, direct)).includes('To both your devices, Ravi.'),
      { subscribe: (wake) => phoneNow.messenger.on('message', wake), timeoutMs: 30_000 })
    await phoneNow.messenger.send(direct, 'Sent from my phone.')
    await waitForMessage(page, 'Sent from my phone.')
    const fromPhone = message(page, 'Sent from my phone.')
    expect(await fromPhone.getAttribute('class')).toContain('mine')
    expect(await fromPhone.textContent()).toContain('You, on another device')
    await waitFor('mehta read the phone', async () => (await texts(mehta, direct)).includes('Sent from my phone.'),
      { subscribe: (wake) => mehta.messenger.on('message', wake), timeoutMs: 30_000 })

    // removed from the tab: the phone is out of the chat and reads nothing written after
    await page.getByTestId('my-devices-button').click()
    page.once('dialog', (dialog) => { void dialog.accept() })
    await page.locator(`[data-testid=my-devices] [data-device-key="${phoneKey}"] [data-testid=remove-device]`).click()
    await page.getByTestId('devices-outcome').filter({ hasText: 'being removed from 1 conversation' }).waitFor({ timeout: 30_000 })
    await page.locator(`[data-testid=my-devices] [data-device-key="${phoneKey}"][data-state=removed]`).waitFor()
    await waitFor('the phone is out', async () => (await phoneNow.messenger.conversations()).find(c => c.id === direct)?.state === 'closed',
      { subscribe: (wake) => phoneNow.messenger.on('conversation-removed', wake), timeoutMs: 60_000 })
    await mehta.messenger.send(direct, 'After your phone was removed.')
    await openConversation(page, direct)
    await waitForMessage(page, 'After your phone was removed.')
    await phoneNow.messenger.catchUp()
    await phoneNow.messenger.idle()
    expect(await texts(phoneNow, direct)).not.toContain('After your phone was removed.')
  }, 240_000)
})
