import { fromHex, signDeviceVouch, toHex, verifyCertificate, verifyDeviceVouch, type Certificate, type DeviceDisownContent, type DeviceVouchContent } from '@dak/protocol'
import type { StoredConversation } from '../storage/index.js'
import type { InboxBatch } from './inbox-batch.js'
import type { ChatMessage, DeviceSummary } from './api.js'
import type { EngineContext } from './context.js'
import { UnknownDeviceError, type Directory } from './directory.js'
import { queueMembership } from './membership.js'
import { sharedWith, shortDeviceKey } from './new-devices.js'
import { officerOf } from './officers.js'
import { queueControl } from './outgoing.js'
import { newClientId } from './sealing.js'

/**
 * Linked devices, vouching (issue 16; docs/messenger.md, *Linked devices*).
 *
 * The officer's existing device signs "device K2 is mine too"
 * (protocol/src/identity/device-vouch.ts) and sends it, with K2's certificate,
 * as an MLS application message in every open conversation, then adds K2 to
 * each of them. A member who had accepted the vouching device accepts K2
 * instead of holding it as new; it still sees the new-device line, and the
 * safety number (over every device) still changes. A member who had not
 * accepted the voucher (it is new itself) learns K2 as the rule for new
 * devices says. A vouch that does not hold is refused with a typed error.
 */

/** The vouch line in every open conversation shared with the officer. */
function vouchedLines (ctx: EngineContext, voucher: Certificate, linked: Certificate, conversations: string[]): ChatMessage[] {
  const own = linked.handle === ctx.keys.certificate.handle
  const name = linked.displayName
  const voucherKey = shortDeviceKey(toHex(voucher.devicePublicKey))
  const linkedKey = shortDeviceKey(toHex(linked.devicePublicKey))
  const text = own
    ? `Your device (${voucherKey}) vouched for the new device (${linkedKey}) as yours: it is accepted here.`
    : `${name}'s device (${voucherKey}) vouched for the new device (${linkedKey}) as ${name}'s own: it is accepted, since you accepted the vouching device. The safety number with ${name} changed: compare it again (dak safety-number ${linked.handle}).`
  return conversations.map((conversationId): ChatMessage => ({
    id: `vouched-device-${toHex(linked.devicePublicKey)}-${conversationId}`, conversationId, sender: officerOf(linked), fromMe: false, kind: 'system', text, sentAt: ctx.now(), state: 'received'
  }))
}

/**
 * A member's vouch arrived. Throws DeviceVouchRefusedError (or the signature's
 * own error) for a vouch that does not hold; resolves with whether the device
 * is accepted now because of it.
 */
export async function receiveVouch (ctx: EngineContext, directory: Directory, sender: Certificate, content: DeviceVouchContent): Promise<boolean> {
  const vouch = verifyDeviceVouch(content.vouch, sender.bytes, content.linkedCertificate, ctx.verifyContext())
  const linkedKey = toHex(vouch.linkedDeviceKey)
  if (linkedKey === toHex(ctx.keys.device.publicKey)) return false // a vouch for this device: nothing to accept here
  // verifyDeviceVouch checked this certificate against the same context a moment ago
  const linked = verifyCertificate(content.linkedCertificate, ctx.verifyContext())
  // the device is learnt as any other: first seen under a handle we talk to, the new-device line is shown
  await directory.learn(linked)
  if (!(await directory.isAccepted(toHex(sender.devicePublicKey)))) return false // the voucher is new itself: its word accepts nothing
  if (await directory.isAccepted(linkedKey)) return false
  await directory.accept(linkedKey)
  const lines = vouchedLines(ctx, sender, linked, await sharedWith(ctx, linked.handle))
  const fresh: ChatMessage[] = []
  for (const line of lines) if (!(await ctx.store.messages.has(line.id))) fresh.push(line)
  await ctx.store.commit(fresh.map(message => ({ type: 'message-add' as const, message })))
  for (const message of fresh) ctx.emitter.emit('message', message)
  return true
}

/** What vouching did: the device, now accepted here, and the conversations it is being added to. */
export interface VouchOutcome {
  device: DeviceSummary
  conversations: number
}

/**
 * Vouch for another device of this officer (by its full key or a prefix of at
 * least 12 hex digits, as `dak whoami` shows it on that device): accept it
 * here, send the signed vouch in every open conversation, and add the device
 * to each of them (a member may add its own officer's devices: commit-rules.ts).
 */
export async function vouchFor (ctx: EngineContext, directory: Directory, deviceKey: string): Promise<VouchOutcome> {
  const own = ctx.keys.certificate.handle
  const key = deviceKey.toLowerCase()
  const ownMatching = async (): Promise<Certificate[]> => (await directory.devicesOf(own)).filter(c => {
    const hex = toHex(c.devicePublicKey)
    return key.length >= 12 ? hex.startsWith(key) : hex === key
  })
  let matching = await ownMatching()
  if (matching.length === 0) {
    // a device enrolled a moment ago (a browser tab open for hours learnt the directory at its start): ask the department's now
    for (const department of ctx.departments.connected()) await directory.learnUnverified(await department.directory()).catch(() => 0)
    matching = await ownMatching()
  }
  if (matching.length !== 1) throw new UnknownDeviceError(matching.length === 0 ? `no device ${deviceKey} of yours (${own}) is known to this device: enrol it with dak device link first, and let this device meet it or reach the department node` : `${deviceKey} names ${matching.length} of your devices: give more digits`)
  const linked = matching[0] as Certificate
  const device = await directory.accept(toHex(linked.devicePublicKey))
  const vouch = signDeviceVouch(ctx.keys.device, { linkedDeviceKey: linked.devicePublicKey, handle: own, issuedAt: ctx.now() })
  const linkedHex = toHex(linked.devicePublicKey)
  let conversations = 0
  for (const conversation of await ctx.store.conversations.list()) {
    if (conversation.closed != null) continue
    await queueControl(ctx, conversation.id, { kind: 'device-vouch', vouch, linkedCertificate: linked.bytes, clientId: newClientId(ctx) })
    if (conversation.members.some(m => m.deviceKey === linkedHex)) continue
    // the info tells the new device the conversation's name (a Welcome cannot); a direct chat keeps the other officer's
    await queueMembership(ctx, conversation.id, { add: [own], remove: [], info: { title: conversation.title, direct: conversation.kind === 'direct' } })
    conversations++
  }
  return { device, conversations }
}

/**
 * Remove another device of this officer (full key or ≥ 12 hex digits) from
 * every open conversation this device is in with it (`dak device remove`):
 * each removal is a commit, so the device reads nothing written after it.
 * It stays certified until the department revokes it (a lost device: ask IT
 * to revoke it too); members who see the removal add it nowhere again
 * (inbox-effects.ts, `disowned`), and neither does this device.
 */
export async function removeOwnDevice (ctx: EngineContext, directory: Directory, deviceKey: string): Promise<VouchOutcome> {
  const own = ctx.keys.certificate.handle
  const key = deviceKey.toLowerCase()
  const matching = (await directory.devices(own)).filter(d => !d.thisDevice && (key.length >= 12 ? d.deviceKey.startsWith(key) : d.deviceKey === key))
  if (matching.length !== 1) throw new UnknownDeviceError(matching.length === 0 ? `no other device ${deviceKey} of yours (${own}) is known to this device` : `${deviceKey} names ${matching.length} of your devices: give more digits`)
  const device = matching[0] as DeviceSummary
  await directory.markRemovedByItsOfficer(device.deviceKey)
  let conversations = 0
  for (const conversation of await ctx.store.conversations.list()) {
    if (conversation.closed != null) continue
    // said in every open conversation: a contact who accepted the device but shares no conversation with it sees no removal commit
    await queueControl(ctx, conversation.id, { kind: 'device-disown', deviceKey: fromHex(device.deviceKey), clientId: newClientId(ctx) })
    if (!conversation.members.some(m => m.deviceKey === device.deviceKey)) continue
    await queueMembership(ctx, conversation.id, { add: [], remove: [device.deviceKey] })
    conversations++
  }
  return { device, conversations }
}

/**
 * A member said one of its own officer's other devices is no longer theirs.
 * Taken as the removal commit's `disowned` is (inbox-effects.ts): the device is
 * held as removed and added nowhere with the officer again — but only on the
 * word of a device this one has accepted (a ghost cannot disown the officer's
 * real devices), and only for a device of the sender's own officer.
 */
export async function receiveDisown (ctx: EngineContext, directory: Directory, batch: InboxBatch, conversation: StoredConversation, sender: Certificate, content: DeviceDisownContent): Promise<void> {
  const key = toHex(content.deviceKey)
  const senderKey = toHex(sender.devicePublicKey)
  if (key === toHex(ctx.keys.device.publicKey) || key === senderKey) return // this device itself, or the sender's own: nothing to hold here
  const peer = await ctx.store.peers.get(key)
  if (peer == null || peer.state === 'removed') return // never learnt (nothing would add it), or held so already
  if (peer.handle !== sender.handle) {
    batch.after.push(() => { ctx.emitter.emit('error', { name: 'DeviceDisownRefusedError', message: `${sender.displayName} said a device of ${peer.handle} is not theirs; only an officer's own devices may say that` }) })
    return
  }
  if (!(await directory.isAccepted(senderKey))) return // a device not accepted here: its word removes nothing (as its vouch accepts nothing)
  batch.ops.push({ type: 'peer-put', peer: { deviceKey: key, handle: peer.handle, certificate: peer.certificate, state: 'removed' } })
  const line: ChatMessage = {
    id: `disowned-device-${key}-${conversation.id}`, conversationId: conversation.id, sender: officerOf(sender), fromMe: false, kind: 'system', sentAt: ctx.now(), state: 'received',
    text: `${sender.displayName} removed one of their own devices (${shortDeviceKey(key)}): it is added nowhere with ${sender.displayName} from now on`
  }
  if (await ctx.store.messages.has(line.id)) return
  batch.ops.push({ type: 'message-add', message: line })
  batch.after.push(() => { ctx.emitter.emit('message', line) })
}
