import { toHex, type Certificate } from '@dak/protocol'
import type { ChatMessage } from './api.js'
import type { EngineContext } from './context.js'
import { officerOf } from './officers.js'

/**
 * New devices under a known handle (THREATS.md, "Department node or authority
 * acting alone"). The department node holds the authority key, so whoever
 * runs it can enrol a device under any officer's handle. The rule:
 *
 * - A device first seen under a handle this device already shares a
 *   conversation with (or under this device's own handle) is *new*: a system
 *   line names it in every open conversation shared with that officer, and
 *   this device adds it to no conversation until the officer accepts it
 *   (`dak devices HANDLE --accept KEY`, after comparing the safety number,
 *   which covers every device of the officer and so has changed).
 * - A device first seen before any conversation with its officer is accepted
 *   as the officer's (trust on first use, as for the first device); the safety
 *   number covers it from the start.
 */

/** Short, readable form of a device key for system lines: 12 hex digits in three groups. */
export function shortDeviceKey (deviceKey: string): string {
  return (deviceKey.slice(0, 12).match(/.{4}/g) ?? []).join(' ')
}

/** Open conversations this device shares with the officer under `handle` (as member or as one invited). */
export async function sharedWith (ctx: EngineContext, handle: string): Promise<string[]> {
  const own = handle === ctx.keys.certificate.handle
  return (await ctx.store.conversations.list())
    .filter(c => c.closed == null && (own || c.members.some(m => m.handle === handle) || (c.invited ?? []).includes(handle)))
    .map(c => c.id)
}

/** The system lines that announce a new device, one per shared conversation. */
export function newDeviceLines (ctx: EngineContext, certificate: Certificate, conversations: string[]): { messages: ChatMessage[] } {
  const deviceKey = toHex(certificate.devicePublicKey)
  const own = certificate.handle === ctx.keys.certificate.handle
  const name = certificate.displayName
  const text = own
    ? `A new device was enrolled under your name (${shortDeviceKey(deviceKey)}). If it is not yours, tell your department's administrator now.`
    : `${name} has a new device (${shortDeviceKey(deviceKey)}). It gets nothing from this device until you accept it: compare the safety number with ${name} first (dak devices ${certificate.handle}).`
  const messages = conversations.map((conversationId): ChatMessage => ({
    id: `new-device-${deviceKey}-${conversationId}`, conversationId, sender: officerOf(certificate), fromMe: false, kind: 'system', text, sentAt: ctx.now(), state: 'received'
  }))
  return { messages }
}

/** A line in one conversation saying an officer's new device was left out of a change this device made. */
export function heldDeviceLine (ctx: EngineContext, conversationId: string, certificate: Certificate): ChatMessage {
  const deviceKey = toHex(certificate.devicePublicKey)
  return {
    id: `held-device-${deviceKey}-${conversationId}`,
    conversationId,
    sender: officerOf(certificate),
    fromMe: false,
    kind: 'system',
    text: `${certificate.displayName}'s new device (${shortDeviceKey(deviceKey)}) was not added: compare the safety number with ${certificate.displayName}, then accept it (dak devices ${certificate.handle} --accept ${deviceKey.slice(0, 12)}).`,
    sentAt: ctx.now(),
    state: 'received'
  }
}
