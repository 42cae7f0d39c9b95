import type { Run } from '../command.js'
import { revokedMessage } from '../../messenger/closed.js'
import { EXIT } from '../exit-codes.js'
import { statusLine } from '../format.js'
import { withSession } from '../session.js'

/** Whether the configured department node and peers answer, and how much waits in the outbox. */
export const status: Run = async (ctx) => {
  return await withSession(ctx, 5, async (session) => {
    await session.goOnline()
    const now = session.messenger.status()
    const me = session.messenger.whoami()
    const { config } = session
    // a revoked device says so first: no network state explains why nothing works for it
    const revoked = session.messenger.revocation()
    const first = revoked != null ? `revoked: ${revokedMessage(revoked)}` : statusLine(now)
    session.out.result({ handle: me.handle, dataDir: ctx.dataDir, ...(config.nodeUrl != null ? { nodeUrl: config.nodeUrl } : {}), bootstrap: config.bootstrap, ...now, ...(revoked != null ? { revoked } : {}) },
      `${me.handle} in ${ctx.dataDir}\n${first}` + (config.nodeUrl != null ? `\ndepartment node ${config.nodeUrl}` : ''))
    return revoked != null ? EXIT.revoked : EXIT.ok
  })
}
