import type { OpenDevice } from '../device/open-device.js'
import type { DakMessenger } from '../messenger/messenger.js'
import { OUTBOX } from '../messenger/outgoing.js'
import type { OutboxEntry } from '../storage/index.js'
import { numberFlag } from './args.js'
import type { CommandContext } from './command.js'
import type { DakConfig } from './config.js'
import { dialTargets, keepDialling } from './dial-targets.js'
import { openHost, type Host } from './host.js'
import type { Output } from './output.js'
import { whatWasTried, type DialOutcome } from './reachability.js'
import { until } from './wait.js'
import { DeviceWipedError } from './errors.js'
import { wipedMessage } from './wipe.js'

/**
 * One command's time with the device: open it with the data directory's
 * config (or borrow the one a running `dak listen`/`dak chat` has open, when
 * the command came over its socket), go online as far as the command needs
 * (bounded by --wait), let the command work, then — if it opened the device
 * itself — let the outbox worker finish its pass and stop cleanly.
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
   * device being connected) or is known not to exist (the department's
   * directory is in and does not name them). Returns false when the deadline
   * came first; then it says on stderr what it tried.
   */
  goOnline: (need?: { handles?: string[] }) => Promise<boolean>
  /**
   * Whether what the device holds is as new as the network's: caught up to the end from a
   * department node connected now (with no department node configured: some member's device
   * in reach). `why` says what is missing when not.
   */
  upToDate: () => { upToDate: true } | { upToDate: false, why: string }
  /** Keep dialling the --peer devices whenever they drop (for `dak listen`; the device's department link keeps the department nodes); returns the stop function. */
  keepConnected: () => () => void
  /**
   * Wait (until the deadline) for the outbox to finish everything but chat
   * messages still waiting for a receipt: membership changes, commits,
   * Welcomes, receipts. Resolves with how many of those are left.
   */
  settle: () => Promise<number>
  /** Resolves if the device obeys a remote wipe order meanwhile (`dak listen` stops then). */
  wiped: Promise<unknown>
}

/** Chat messages stay in the outbox until a store or delivery receipt: `dak send` waits for those itself. */
const AWAITING_RECEIPT = new Set<string>([OUTBOX.text, OUTBOX.sealedMessage])
/** More entries than a device plausibly queues; only bounds one read. */
const OUTBOX_SCAN = 10_000
/** "Due by then" lists every entry: retries back off five minutes at most. */
const FAR_FUTURE_MS = 365 * 86_400_000
/** Flags that shape how the device is opened: a running dak's device is already open. */
const DEVICE_FLAGS = ['listen', 'mdns', 'no-mdns']

export async function withSession<T> (ctx: CommandContext, defaultWaitSeconds: number, work: (session: Session) => Promise<T>): Promise<T> {
  const started = Date.now()
  const waitSeconds = numberFlag(ctx.args, 'wait', defaultWaitSeconds)
  const owned = ctx.host == null
  if (!owned) {
    const ignored = DEVICE_FLAGS.filter(f => ctx.args.booleans.has(f) || ctx.args.lists.has(f))
    if (ignored.length > 0) ctx.out.note(`note: ${ignored.map(f => '--' + f).join(', ')} ignored: the running dak on ${ctx.dataDir} has its device open already`)
  }
  const host: Host = ctx.host ?? await openHost(ctx)
  const { device, config } = host
  const { messenger, libp2p, store } = device
  const peers = dialTargets([...config.bootstrap, ...(ctx.args.lists.get('peer') ?? [])])
  // the engine's background failures (a catch-up that broke off, ...) explain a slow or partial answer
  const offError = messenger.on('error', (e) => { ctx.out.note(`warning: ${e.name}: ${e.message}`) })
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
      const outcomes = new Map<string, DialOutcome>()
      let wakeNow = (): void => {}
      for (const { addrs } of peers) {
        const key = addrs[0]?.toString() ?? ''
        void (async () => {
          // --wait 0: dial in the background and do not wait; the outcome is of no one's concern
          const timeout = waitSeconds > 0 ? AbortSignal.timeout(Math.max(1, deadline - Date.now())) : undefined
          const signal = timeout != null ? AbortSignal.any([ctx.signal, timeout]) : ctx.signal
          try {
            const connection = await libp2p.dial(addrs, { signal })
            if (!(await libp2p.services.directory.whenVerified(connection.remotePeer, { signal }))) throw new Error('its certificate was not accepted')
            outcomes.set(key, { ok: true })
          } catch (err) {
            // our own deadline or Ctrl-C is not the address's fault: the summary says "no answer in time"
            const ours = timeout?.aborted === true || ctx.signal.aborted
            outcomes.set(key, { ok: false, why: ours ? `no answer within ${waitSeconds}s` : err instanceof Error ? err.message : String(err) })
            // a revoked device is refused: the department's signed list says whether that is why (the command then fails as revoked)
            if (!ours) await device.checkRevocation()
          } finally {
            wakeNow()
          }
        })()
      }
      if (waitSeconds === 0) return false
      const handles = need.handles ?? []
      // known to the messenger's directory (learned a moment after the gate verifies a peer),
      // and reachable: through a department node, or with the device itself connected
      const reachable = async (handle: string): Promise<boolean> => {
        if ((await store.peers.byHandle(handle)).length === 0) return false
        return messenger.status().departmentNodes > 0 || libp2p.services.directory.peers().some(p => p.certificate.handle === handle)
      }
      // once a department node has been caught up from, its directory is in: an officer not in it does not exist there
      const directoryIn = (): boolean => messenger.status().departmentNodes > 0 && host.syncs() > 0
      const online = await until(async () => {
        if (outcomes.size < peers.length) return false
        if (messenger.status().departmentNodes > 0 && host.syncs() === 0 && host.failures() === 0) return false
        for (const handle of handles) {
          if (await reachable(handle)) continue
          if (directoryIn() && (await store.peers.byHandle(handle)).length === 0) continue
          return false
        }
        return true
      }, { deadline, signal: ctx.signal, subscribe: (wake) => { wakeNow = wake; return wakeOn(wake) } })
      if (online && host.syncs() === 0 && messenger.status().departmentNodes > 0) {
        // The first catch-up broke off. Known case: a Welcome found during catch-up adds a
        // conversation whose topic is queried before its registration at the node finished
        // (TopicNotRegisteredError). One more pass, now that the topic is registered, gets the rest.
        await messenger.catchUp().catch((err: unknown) => { ctx.out.note(`warning: catching up failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`) })
      }
      // timed out, or every dial ended and none reached anyone: say what was tried and why it failed
      const status = messenger.status()
      if (!ctx.signal.aborted && (!online || (status.departmentNodes === 0 && status.peers === 0))) {
        ctx.out.note(whatWasTried({ waitSeconds, timedOut: !online, status, bootstrap: dialTargets(config.bootstrap), peers: dialTargets(ctx.args.lists.get('peer') ?? []), outcomes, mdns: host.mdns }))
      } else if (!ctx.signal.aborted) {
        // online through others: still name an address that failed (one of two department nodes down)
        for (const [address, outcome] of outcomes) if (!outcome.ok) ctx.out.note(`could not reach ${address}: ${outcome.why}`)
      }
      return online
    },
    upToDate () {
      const status = messenger.status()
      if (messenger.revocation() != null) return { upToDate: false, why: "this device's access was withdrawn by its department: it receives nothing newer" }
      if (config.bootstrap.length === 0) return status.peers > 0 ? { upToDate: true } : { upToDate: false, why: "no department node is configured and no member's device is in reach" }
      if (status.departmentNodes === 0) return { upToDate: false, why: 'no department node could be reached' }
      if (host.completeSyncs() === 0) return { upToDate: false, why: 'the catch-up from the department node did not finish' }
      return { upToDate: true }
    },
    wiped: host.wiped,
    keepConnected: () => keepDialling(libp2p, dialTargets(ctx.args.lists.get('peer') ?? []), ctx.signal),
    async settle () {
      const unsettled = async (): Promise<OutboxEntry[] | undefined> => {
        try {
          return (await store.outbox.due(Date.now() + FAR_FUTURE_MS, { limit: OUTBOX_SCAN })).filter(e => !AWAITING_RECEIPT.has(e.kind))
        } catch (err) {
          // due() reads the index, then each entry: one completed in between (a receipt came in)
          // reads as CorruptRecordError. Not corruption, just a moving outbox: look again later.
          if (err instanceof Error && err.name === 'CorruptRecordError') return undefined
          throw err
        }
      }
      await until(async () => (await unsettled())?.length === 0, { deadline, signal: ctx.signal, subscribe: wakeOn })
      const left = await unsettled()
      // what is left, by kind and age: the officer (and a test that fails on it) can tell a
      // Welcome still to deliver from a change the sequencer never answered
      if (left !== undefined && left.length > 0) ctx.out.note(`still queued: ${left.map(e => `${e.kind} (${e.attempts} tries, queued ${Date.now() - e.createdAt} ms ago${e.lastError != null ? `, last error: ${e.lastError}` : ''})`).join('; ')}`)
      // the outbox may still be moving here: then it is reported as its size, an upper bound
      return left?.length ?? await store.outbox.size()
    }
  }
  let result: T
  try {
    result = await work(session)
  } catch (err) {
    // a wipe that stopped the device under the command explains its failure better than the failure does
    await device.wipeIdle()
    const notice = device.wiped()
    throw notice != null ? new DeviceWipedError(wipedMessage(notice)) : err
  } finally {
    offError()
    if (owned) await host.stop()
  }
  const notice = device.wiped()
  if (notice != null) throw new DeviceWipedError(wipedMessage(notice))
  return result
}
