import type { Messenger } from '../../../node/src/messenger/api.js'
import { startCatchUp, startGroup } from './start.js'
import { startWebClient } from './start-web.js'

/**
 * Where the messenger engine plugs into the benchmarks.
 *
 * The engine-level figures (Dak end to end) are measured by engine/measure.ts
 * through the public Messenger interface (node/src/messenger/api.ts) only:
 * send(), the 'message' and 'sync' events. What the benchmarks cannot do
 * themselves is *start* messengers — that needs the engine's factory. Each
 * hook below does exactly that and nothing else; while a hook is undefined,
 * its figures are reported as pending (value null, `pending` says which hook).
 *
 * The hooks must build the same shape the raw baselines use, so the ratios
 * stay fair: the same number of devices, the same edges between them (on
 * 127.0.0.1 TCP), all in this one process.
 */

export interface EngineGroup {
  /** One messenger per member, all in one group conversation; messengers[0] is its creator. */
  messengers: Messenger[]
  conversationId: string
  stop: () => Promise<void>
}

export interface StartGroupOptions {
  members: number
  /** Who is connected to whom (indexes into `messengers`): the topology the raw gossipsub baseline ran on. */
  edges: Array<[number, number]>
  /** A directory for the messengers' databases (classic-level), removed after the benchmark. */
  tmpDir: string
  progress: (message: string) => void
}

export interface CatchUpScenario {
  /** A device that was offline while `envelopes` text messages for it were stored at a department node. */
  messenger: Messenger
  envelopes: number
  /** Bring it online (connect it to the department node): catch-up starts; the 'sync' event reports progress. */
  begin: () => Promise<void>
  stop: () => Promise<void>
}

export interface StartCatchUpOptions {
  /** Stored envelopes waiting for the device: 10,000 (1,000 with --quick), in one 10-member conversation. */
  envelopes: number
  /** Members of the conversation (default 10). */
  members?: number
  /** Every device's store encrypted at rest under its own random storage key, as real devices run (default: plain). */
  sealed?: boolean
  tmpDir: string
  progress: (message: string) => void
}

export interface WebClientScenario {
  /** URL of a served web client, enrolled in the browser context newPage() opens pages in (so it connects on load). */
  url: string
  /** A fresh page in the browser context that holds the enrolled identity (IndexedDB, localStorage). */
  newPage: () => Promise<import('playwright-core').Page>
  /** Resolves when the page shows it is connected (e.g. the status bar's mode is 'department'). */
  waitConnected: (page: import('playwright-core').Page) => Promise<void>
  stop: () => Promise<void>
}

export interface EngineHooks {
  startGroup?: (options: StartGroupOptions) => Promise<EngineGroup>
  startCatchUp?: (options: StartCatchUpOptions) => Promise<CatchUpScenario>
  startWebClient?: (options: { tmpDir: string, progress: (message: string) => void }) => Promise<WebClientScenario>
}

/**
 * TODO(engine): fill these in once node/src/messenger/ can be started end to
 * end: createMessenger (node/src/messenger/messenger.ts) over openDeviceStore
 * on classic-level, a MeshPort adapter on createDakLibp2p, and a
 * DepartmentsPort on the department client (none for startGroup):
 *
 * - startGroup: `members` messengers with enrolled test devices (the MLS test
 *   fixtures' certificates work: protocol/src/mls/test-fixtures.ts), dialled
 *   along `edges`, no department node (LAN mode), messengers[0] calls
 *   createGroup(title, handles of the others); resolve once every member has
 *   the conversation (the 'conversation' event).
 *   Used by: throughput (engine ÷ crypto floor, engine ÷ raw gossipsub) and
 *   latency (engine p50/p99 ÷ raw gossipsub, 20 members).
 * - startCatchUp: a department node (bootstrap) holding `envelopes` text
 *   messages of a 10-member conversation (deposited by the other members),
 *   and the messenger of a member who was offline; begin() connects it.
 *   Used by: catch-up (engine msg/s ÷ raw classic-level iterator).
 * - startWebClient: the built web client served by the department node with an
 *   enrolled identity; waitConnected watches the page for the connected state.
 *   Used by: web (page load → connected in Chromium, via playwright-core).
 */
export const engineHooks: EngineHooks = { startGroup, startCatchUp, startWebClient }

export type EngineHookName = keyof EngineHooks
