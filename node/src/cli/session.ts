import { openDevice, type OpenDevice } from '../device/open-device.js'
import type { DakMessenger } from '../messenger/messenger.js'
import { OUTBOX } from '../messenger/outgoing.js'
import { numberFlag } from './args.js'
import type { CommandContext } from './command.js'
import { LISTEN_ENV, readConfig, type DakConfig } from './config.js'
import { openDeviceDb } from './device-db.js'
import { dialTargets, keepDialling } from './dial-targets.js'
import type { Output } from './output.js'
import { until } from './wait.js'

/**
 * One command's time with the device open: open it with the data directory's
 * config, go online as far as the command needs (bounded by --wait), let the
 * command work, then let the outbox worker finish its pass and stop cleanly.
 */
export interface Session {
  device: OpenDevice
  messenger: DakMessenger
  config: DakConfig
  out: Output
  signal: AbortSignal
  /** ms since epoch: the end of --wait, counted from when the command started. */
  deadline: number
  /**
   * Dial the department nodes and --peer addresses and wait until each has
   * answered or failed, a connected department node has been caught up from,
   * and each of `handles` can be reached (through a department node, or their
   * device being connected). Returns false when the deadline came first.
   */
  goOnline: (need?: { handles?: string[] }) => Promise<boolean>
  /** Keep dialling the --peer devices whenever they drop (for `dak listen`; the device's department link keeps the department nodes); returns the stop function. */
  keepConnected: () => () => void
  /**
   * Wait (until the deadline) for the outbox to finish everything but chat
   * messages still waiting for a receipt: membership changes, commits,
   * Welcomes, receipts. Resolves with how many of those are left.
   */
  settle: () => Promise<number>
}

/** Chat messages stay in the outbox until a store or delivery receipt: `dak send` waits for those itself. */
const AWAITING_RECEIPT = new Set<string>([OUTBOX.text, OUTBOX.sealedMessage])
/** More entries than a device plausibly queues; only bounds one read. */
const OUTBOX_SCAN = 10_000
/** "Due by then" lists every entry: retries back off five minutes at most. */
const FAR_FUTURE_MS = 365 * 86_400_000

export async function withSession<T> (ctx: CommandContext, defaultWaitSeconds: number, work: (session: Session) => Promise<T>): Promise<T> {
  const started = Date.now()
  const waitSeconds = numberFlag(ctx.args, 'wait', defaultWaitSeconds)
  const config = await readConfig(ctx.dataDir)
  const listen = ctx.args.lists.get('listen') ?? ctx.env[LISTEN_ENV]?.split(',').filter(a => a !== '') ?? config.listen
  const peers = dialTargets([...config.bootstrap, ...(ctx.args.lists.get('peer') ?? [])])
  const mdns = ctx.args.booleans.has('mdns') || config.mdns
  const db = await openDeviceDb(ctx.dataDir)
  let device: OpenDevice
  try {
    // the bootstrap list also goes to libp2p: its bootstrap service dials it once at start (goOnline dials too, to wait on it)
    device = await openDevice({ db, listen, bootstrap: config.bootstrap, mdns, nodeUrls: config.nodeUrl != null ? [config.nodeUrl] : [] })
  } catch (err) {
    await db.close()
    throw err
  }
  const { messenger, libp2p, store } = device
  let syncs = 0
  let failures = 0
  const offSync = messenger.on('sync', (s) => { if (s.finished) syncs++ })
  // the engine's background failures (a catch-up that broke off, ...) explain a slow or partial answer
  const offError = messenger.on('error', (e) => { failures++; ctx.out.note(`warning: ${e.name}: ${e.message}`) })
  const deadline = started + waitSeconds * 1000
  const wakeOn = (wake: () => void): () => void => {
    const offs = [messenger.on('status', wake), messenger.on('sync', wake), messenger.on('message-state', wake)]
    libp2p.services.directory.addEventListener('peer:verified', wake)
    return () => {
      for (const off of offs) off()
      libp2p.services.directory.removeEventListener('peer:verified', wake)
    }
  }

  const session: Session = {
    device,
    messenger,
    config,
    out: ctx.out,
    signal: ctx.signal,
    deadline,
    async goOnline (need = {}) {
      let settled = 0
      let wakeNow = (): void => {}
      for (const { addrs } of peers) {
        void (async () => {
          try {
            const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(Math.max(1, deadline - Date.now()))])
            const connection = await libp2p.dial(addrs, { signal })
            if (!(await libp2p.services.directory.whenVerified(connection.remotePeer, { signal }))) throw new Error('its certificate was not accepted')
          } catch (err) {
            ctx.out.note(`could not reach ${addrs[0]?.toString() ?? ''}: ${err instanceof Error ? err.message : String(err)}`)
            // a revoked device is refused: the department's signed list says whether that is why (the command then fails as revoked)
            await device.checkRevocation()
          } finally {
            settled++
            wakeNow()
          }
        })()
      }
      const handles = need.handles ?? []
      // known to the messenger's directory (learned a moment after the gate verifies a peer),
      // and reachable: through a department node, or with the device itself connected
      const reachable = async (handle: string): Promise<boolean> => {
        if ((await store.peers.byHandle(handle)).length === 0) return false
        return messenger.status().departmentNodes > 0 || libp2p.services.directory.peers().some(p => p.certificate.handle === handle)
      }
      const online = await until(async () => {
        if (settled < peers.length) return false
        if (messenger.status().departmentNodes > 0 && syncs === 0 && failures === 0) return false
        for (const handle of handles) if (!(await reachable(handle))) return false
        return true
      }, { deadline, signal: ctx.signal, subscribe: (wake) => { wakeNow = wake; return wakeOn(wake) } })
      if (online && syncs === 0 && messenger.status().departmentNodes > 0) {
        // The first catch-up broke off. Known case: a Welcome found during catch-up adds a
        // conversation whose topic is queried before its registration at the node finished
        // (TopicNotRegisteredError). One more pass, now that the topic is registered, gets the rest.
        await messenger.catchUp().catch((err: unknown) => { ctx.out.note(`warning: catching up failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`) })
      }
      if (!online && !ctx.signal.aborted && waitSeconds > 0) ctx.out.note(`not fully online after ${waitSeconds}s (${describe(messenger)}): going on with what this device knows`)
      return online
    },
    keepConnected: () => keepDialling(libp2p, dialTargets(ctx.args.lists.get('peer') ?? []), ctx.signal),
    async settle () {
      const unsettled = async (): Promise<number | undefined> => {
        try {
          return (await store.outbox.due(Date.now() + FAR_FUTURE_MS, { limit: OUTBOX_SCAN })).filter(e => !AWAITING_RECEIPT.has(e.kind)).length
        } catch (err) {
          // due() reads the index, then each entry: one completed in between (a receipt came in)
          // reads as CorruptRecordError. Not corruption, just a moving outbox: look again later.
          if (err instanceof Error && err.name === 'CorruptRecordError') return undefined
          throw err
        }
      }
      await until(async () => (await unsettled()) === 0, { deadline, signal: ctx.signal, subscribe: wakeOn })
      // the outbox may still be moving here: then it is reported as its size, an upper bound
      return (await unsettled()) ?? await store.outbox.size()
    }
  }
  try {
    return await work(session)
  } finally {
    offSync()
    offError()
    await messenger.idle()
    await device.stop()
  }
}

function describe (messenger: DakMessenger): string {
  const s = messenger.status()
  return `${s.departmentNodes} department node(s), ${s.peers} peer(s)`
}
