import type { Run } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { withSession } from '../session.js'
import { reportPending } from './after-change.js'

/**
 * `dak device link`: a one-time code from the department node, for another
 * device of this officer (issue 16; docs/node.md). It is valid for minutes and
 * enrols one device, which gets a certificate for the same handle; the new
 * device then joins the officer's conversations through this one (vouched for
 * and added by it: docs/messenger.md, *Linked devices*). A revoked device gets
 * no code (DeviceRevokedError, exit 6).
 */
export const deviceLink: Run = async (ctx) => {
  return await withSession(ctx, 10, async (session) => {
    await session.goOnline()
    const link = await session.messenger.linkDevice()
    // the new device enrols over the node's web address, as with any invite
    const node = session.config.nodeUrl
    const nodeFlag = node != null ? ` --node ${node}` : ''
    const expires = new Date(link.expiresAt).toISOString()
    session.out.result({ ...link, ...(node != null ? { nodeUrl: node } : {}) }, [
      `link code for ${link.handle}: ${link.code} (valid until ${expires}, once)`,
      `on the new device: dak init --link ${link.code}${nodeFlag}`,
      `or, for a QR code: dak init --link '${link.url}'${nodeFlag}`
    ].join('\n'))
    return EXIT.ok
  })
}

/**
 * `dak device vouch KEY`: on the officer's existing device, after the new one
 * enrolled (its key is what `dak init --link` and `dak whoami` print there):
 * sign "this device is mine too", send it in every open conversation, and add
 * the device to each (docs/messenger.md, *Linked devices*). Contacts who
 * accepted this device accept the new one. Waits (--wait) for the adds.
 */
export const deviceVouch: Run = async (ctx) => {
  const [key] = ctx.args.positionals as [string]
  return await withSession(ctx, 20, async (session) => {
    await session.goOnline()
    const outcome = await session.messenger.vouchDevice(key)
    const pending = await session.settle()
    reportPending(session.out, pending)
    session.out.result({ ...outcome, pending }, `vouched for your device ${outcome.device.deviceKey}; adding it to ${outcome.conversations} conversation${outcome.conversations === 1 ? '' : 's'}`)
    return EXIT.ok
  })
}

/**
 * `dak device remove KEY`: remove another device of yours from every
 * conversation this device shares with it; it reads nothing written after.
 * It stays certified: for a lost or stolen device, ask department IT to revoke it too.
 */
export const deviceRemove: Run = async (ctx) => {
  const [key] = ctx.args.positionals as [string]
  return await withSession(ctx, 20, async (session) => {
    await session.goOnline()
    const outcome = await session.messenger.removeOwnDevice(key)
    const pending = await session.settle()
    reportPending(session.out, pending)
    session.out.result({ ...outcome, pending }, `removing your device ${outcome.device.deviceKey} from ${outcome.conversations} conversation${outcome.conversations === 1 ? '' : 's'} (it stays certified: if it is lost, ask department IT to revoke it)`)
    return EXIT.ok
  })
}
