import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import type { Page } from 'playwright-core'
import { enrolDevice } from '../../node/src/device/enrol-device.js'
import { openDevice, type OpenDevice } from '../../node/src/device/open-device.js'
import { waitFor } from '../helpers/wait.js'
import type { Department } from './harness.js'
import { conversationItem, enrol, openConversation, send, waitForCaughtUp, waitForMessage } from './page.js'

export interface DeskAndField {
  /** Meera Mehta's Node.js device (a `dak` officer), online at the department node over TCP. */
  mehta: OpenDevice
  /** The direct conversation between Mehta and Ravi, listed on Ravi's page. */
  direct: string
  /** Stops Mehta's device and removes its data directory. */
  stop: () => Promise<void>
}

/**
 * The two officers most browser tests need: Ravi Kumar at his desk in the
 * browser `page` (enrolled, caught up) and Meera Mehta in the field on a
 * Node.js device, with a direct conversation between them that Ravi's page
 * lists. Mehta enrols first and opens after Ravi, so she finds him in the
 * department's directory.
 */
export async function deskAndField (department: Department, page: Page, onMehtaOpen?: (mehta: OpenDevice) => void): Promise<DeskAndField> {
  const dir = await mkdtemp(join(tmpdir(), 'dak-mehta-'))
  const db = (): ClassicLevel<string, Uint8Array> => new ClassicLevel<string, Uint8Array>(join(dir, 'db'), { valueEncoding: 'view' })
  const mehtaInvite = await department.node.createInvite({ handle: 'mehta', displayName: 'Meera Mehta', title: 'Deputy Secretary' })
  await enrolDevice({ db: db(), invite: mehtaInvite.code, nodeUrl: department.node.httpUrl })

  const raviInvite = await department.node.createInvite({ handle: 'ravi', displayName: 'Ravi Kumar', title: 'Section Officer' })
  await page.goto(department.node.httpUrl)
  await enrol(page, raviInvite.code)
  await waitForCaughtUp(page)

  const mehta = await openDevice({ db: db(), bootstrap: department.node.multiaddrs().filter(a => /\/tcp\/\d+\/p2p\//.test(a)) })
  onMehtaOpen?.(mehta)
  const stop = async (): Promise<void> => {
    await mehta.stop()
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await waitFor('mehta knows ravi', async () => (await mehta.messenger.contacts()).some(c => c.handle === 'ravi'),
      { subscribe: (wake) => mehta.messenger.on('status', wake), timeoutMs: 30_000 })
    const direct = (await mehta.messenger.startDirect('ravi')).id
    await conversationItem(page, direct).waitFor({ timeout: 30_000 })
    return { mehta, direct, stop }
  } catch (err) {
    await stop()
    throw err
  }
}

/**
 * The canary exchange of the at-rest tests: Mehta's canary shown on Ravi's
 * page, Ravi's sent from it and arrived at Mehta. Afterwards both are in the
 * browser's store, for a scan of its profile to look for.
 */
export async function canariesBothWays (page: Page, { mehta, direct }: Pick<DeskAndField, 'mehta' | 'direct'>, canaries: readonly [string, string]): Promise<void> {
  await mehta.messenger.send(direct, canaries[0])
  await openConversation(page, direct)
  await waitForMessage(page, canaries[0])
  await send(page, canaries[1])
  await waitFor('the page\'s canary at mehta', async () => (await mehta.messenger.history(direct)).messages.some(m => m.text === canaries[1]),
    { subscribe: (wake) => mehta.messenger.on('message', wake), timeoutMs: 30_000 })
}
