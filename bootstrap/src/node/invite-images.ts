import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The QR images `dak-node` writes for invites (DIR/invite-<handle>.png)
 * carry the invite's one-time secret. Once no invite for that handle can be
 * redeemed any more (it was used, or it expired) the image is only a risk:
 * it is deleted, right after an enrolment and at every maintenance pass.
 */

const INVITE_IMAGE = /^invite-(.+)\.png$/

export const inviteImagePath = (dataDir: string, handle: string): string => join(dataDir, `invite-${handle}.png`)

/** Delete the invite images whose handle has no invite left that could still be redeemed; returns the paths removed. */
export async function removeSpentInviteImages (dataDir: string, redeemable: ReadonlySet<string>): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(dataDir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const removed: string[] = []
  for (const name of names) {
    const handle = INVITE_IMAGE.exec(name)?.[1]
    if (handle === undefined || redeemable.has(handle)) continue
    await rm(join(dataDir, name), { force: true })
    removed.push(join(dataDir, name))
  }
  return removed
}
