import type { DeviceSummary } from '../../messenger/api.js'
import type { Run } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { withSession } from '../session.js'

function deviceLine (d: DeviceSummary): string {
  const mark = d.thisDevice ? 'this device' : d.state === 'new' ? 'NEW: not added anywhere until you accept it' : d.state === 'removed' ? 'REMOVED by its officer: added nowhere' : 'accepted'
  return `${d.deviceKey}\t${d.displayName}, ${d.title}\t${mark}`
}

/**
 * Every current device of an officer, with its state: a device first seen
 * under a handle you already talk to is new and gets nothing until accepted
 * (`--accept KEY`, a key or a prefix of at least 12 hex digits), after
 * comparing the safety number, which covers every device.
 */
export const devices: Run = async (ctx) => {
  const accept = ctx.args.strings.get('accept')
  return await withSession(ctx, 5, async (session) => {
    // no handle: this officer's own devices (linked devices, issue 16)
    const handle = (ctx.args.positionals[0] as string | undefined) ?? session.messenger.whoami().handle
    await session.goOnline()
    if (accept != null) await session.messenger.acceptDevice(handle, accept)
    const list = await session.messenger.devices(handle)
    session.out.result({ handle, devices: list }, list.length === 0 ? `(no device of ${handle} is known)` : list.map(deviceLine).join('\n'))
    return EXIT.ok
  })
}
