import { afterEach, describe, expect, it } from 'vitest'
import { decodeEvidence, encodeEvidence, InvalidSignatureError, RevocationState, TrustStore, verifyEvidence } from '@dak/protocol'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import type { DirectiveStatus, MessengerEvents } from '../../node/src/messenger/api.js'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

const OFFICERS = ['bala', 'chitra', 'dev', 'esha', 'farid'] as const

/** Each addressee's state by handle. */
function states (status: DirectiveStatus): Record<string, string> {
  return Object.fromEntries(status.addressees.map(a => [a.officer.handle, a.state]))
}

/** The department's trust bundle and revocation lists as a device holds them: all an auditor needs. */
async function auditorContext (device: OpenDevice, now: number) {
  const trust = TrustStore.decode((await device.store.identity.get()).trustBundle!)
  const revocations = new RevocationState()
  for (const { list } of await device.store.identity.revocationLists()) revocations.accept(list, trust)
  return { trust, revocations, now }
}

describe('a directive with signed acknowledgements', () => {
  it('to 5 officers: status follows receive, read and acknowledge (one officer offline at first); reminders; the export verifies offline and an altered one is refused', async () => {
    await world.start()
    const openAsha = await world.enrol('asha')
    const openers = new Map<string, () => Promise<OpenDevice>>()
    for (const handle of OFFICERS) openers.set(handle, await world.enrol(handle))
    const asha = await openAsha()
    const devices = new Map<string, OpenDevice>()
    for (const handle of OFFICERS) devices.set(handle, await openers.get(handle)!())
    const at = (handle: string): OpenDevice => devices.get(handle)!
    for (const d of [asha, ...devices.values()]) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: 30_000 })
    await waitFor('directory loaded', async () => (await asha.messenger.contacts()).length >= OFFICERS.length, { timeoutMs: 30_000 })

    const group = await asha.messenger.createGroup('District collectors', [...OFFICERS])
    for (const handle of OFFICERS) {
      await waitFor(`${handle} joined`, async () => (await at(handle).messenger.conversations()).some(c => c.id === group.id), { timeoutMs: 60_000 })
    }
    // farid is away when the directive is sent
    await at('farid').messenger.idle()
    await at('farid').stop()
    devices.delete('farid')

    const reminders: Array<MessengerEvents['directive-reminder']> = []
    asha.messenger.on('directive-reminder', (r) => { reminders.push(r) })
    const devReminders: Array<MessengerEvents['directive-reminder']> = []
    at('dev').messenger.on('directive-reminder', (r) => { devReminders.push(r) })

    // a deadline 12 s away: the reminder comes a quarter of that before it
    const sent = await asha.messenger.sendDirective(group.id, 'Submit the flood relief estimates to the Secretariat.', { deadline: Date.now() + 12_000 })
    expect(sent.directive?.deadline).toBeGreaterThan(Date.now())
    const id = await waitFor('directive sealed', async () => (await asha.messenger.history(group.id)).messages.find(m => m.directive != null && /^[0-9a-f]{64}$/.test(m.id))?.id, { timeoutMs: 30_000 })
    const status = async (): Promise<DirectiveStatus> => await asha.messenger.directiveStatus(id)
    const changes = (wake: () => void): () => void => { const offs = [asha.messenger.on('message-changed', wake), asha.messenger.on('message-state', wake)]; return () => { for (const off of offs) off() } }

    // every online addressee's device acknowledges delivery; farid's has not received it
    await waitFor('delivered to the four online', async () => {
      const s = states(await status())
      return ['bala', 'chitra', 'dev', 'esha'].every(h => s[h] === 'delivered') && s.farid === 'not-received'
    }, { timeoutMs: 30_000, subscribe: changes })
    const atDev = (await at('dev').messenger.history(group.id)).messages.find(m => m.id === id)
    expect(atDev?.directive).toMatchObject({ deadline: sent.directive?.deadline })
    expect(atDev?.text).toBe('Submit the flood relief estimates to the Secretariat.')

    // bala reads it; chitra reads and acknowledges
    await at('bala').messenger.markRead(group.id)
    await at('chitra').messenger.markRead(group.id)
    await at('chitra').messenger.acknowledgeDirective(group.id, id)
    await waitFor('bala read, chitra acknowledged', async () => {
      const s = states(await status())
      return s.bala === 'read' && s.chitra === 'acknowledged' && s.dev === 'delivered' && s.esha === 'delivered' && s.farid === 'not-received'
    }, { timeoutMs: 30_000, subscribe: changes })

    // before the deadline: the sender is reminded of who has not acknowledged, dev of what he has not
    await waitFor('reminders', () => reminders.length > 0 && devReminders.length > 0, { timeoutMs: 20_000 })
    // chitra may or may not have acknowledged by then; these four had not
    expect(reminders[0]?.pending?.map(o => o.handle)).toEqual(expect.arrayContaining(['bala', 'dev', 'esha', 'farid']))
    expect(devReminders[0]).toMatchObject({ id, conversationId: group.id })

    // farid comes back, catches up, acknowledges
    const farid = await openers.get('farid')!()
    await waitFor('farid has the directive', async () => (await farid.messenger.history(group.id)).messages.some(m => m.id === id), { timeoutMs: 60_000, subscribe: (wake) => farid.messenger.on('message', wake) })
    await farid.messenger.acknowledgeDirective(group.id, id)
    await waitFor('farid acknowledged', async () => states(await status()).farid === 'acknowledged', { timeoutMs: 30_000, subscribe: changes })
    const final = await status()
    expect(states(final)).toEqual({ bala: 'read', chitra: 'acknowledged', dev: 'delivered', esha: 'delivered', farid: 'acknowledged' })
    expect(final.counts).toEqual({ acknowledged: 2, read: 1, delivered: 2, notReceived: 0 })

    // the export: checked offline with the trust bundle and revocation lists only
    const evidence = await asha.messenger.exportDirective(id)
    const verified = verifyEvidence(evidence, await auditorContext(asha, Date.now()))
    expect(verified.directive.text).toBe('Submit the flood relief estimates to the Secretariat.')
    expect(verified.directive.certificate.handle).toBe('asha')
    expect(verified.acks.map(a => a.certificate.handle).sort()).toEqual(['chitra', 'farid'])

    // an acknowledgement altered after signing (its time moved back before the deadline) is refused
    const decoded = decodeEvidence(evidence)
    const altered = encodeEvidence({ ...decoded, acks: decoded.acks.map((a, i) => i === 0 ? { ...a, acknowledgedAt: a.acknowledgedAt - 1 } : a) })
    const auditor = await auditorContext(asha, Date.now())
    expect(() => verifyEvidence(altered, auditor)).toThrow(InvalidSignatureError)
  }, 300_000)
})
