import { DEFAULT_MDNS_SERVICE_TAG } from '../net/constants.js'
import { openDevice, type OpenDevice } from '../device/open-device.js'
import type { CommandContext } from './command.js'
import { LISTEN_ENV, MDNS_SERVICE_ENV, readConfig, type DakConfig } from './config.js'
import { openDeviceDb } from './device-db.js'
import { deviceStorageKey } from './device-key.js'
import type { WipeNotice } from '../device/wipe-order.js'
import { eraseDevice, sendPendingWipeReport } from './wipe.js'

/** Errors of a wipe order that was refused rather than not fetched. */
const REFUSED_ORDER = new Set(['WipeOrderRefusedError', 'InvalidSignatureError', 'MalformedInputError'])

/**
 * The device open in this process, with what a command needs to know about
 * its time online so far. A one-shot command opens one for itself
 * (session.ts); `dak listen` and `dak chat` open one and lend it to every
 * command a client sends over the data directory's socket (running mode).
 */
export interface Host {
  dataDir: string
  device: OpenDevice
  config: DakConfig
  /** Where mDNS stands: why it is off, or how many devices it has reported so far. */
  mdns: { on: false, why: string } | { on: true, found: () => number }
  /** Catch-ups from a department node finished since the device opened. */
  syncs: () => number
  /** Catch-ups that read every topic to its end. */
  completeSyncs: () => number
  /** Background failures of the engine since the device opened. */
  failures: () => number
  /** Resolves if the device obeys a remote wipe order (it is stopped and erased by then); never otherwise. */
  wiped: Promise<WipeNotice>
  stop: () => Promise<void>
}

/** Open the data directory's device with its config and the command's --listen/--mdns/--no-mdns. */
export async function openHost (ctx: CommandContext): Promise<Host> {
  const config = await readConfig(ctx.dataDir)
  const listen = ctx.args.lists.get('listen') ?? ctx.env[LISTEN_ENV]?.split(',').filter(a => a !== '') ?? config.listen
  const mdnsOff = ctx.args.booleans.has('no-mdns') ? '--no-mdns' : !ctx.args.booleans.has('mdns') && !config.mdns ? 'config.json says "mdns": false' : undefined
  const serviceTag = ctx.env[MDNS_SERVICE_ENV] ?? DEFAULT_MDNS_SERVICE_TAG
  // a device wiped earlier whose report no node took yet: deliver it (the device itself is gone: opening it says so below)
  await sendPendingWipeReport(ctx.dataDir, config.nodeUrl, (line) => { ctx.out.note(line) })
  // the passphrase first: a wrong one must leave the database untouched
  const storageKey = await deviceStorageKey(ctx)
  let onWiped: (notice: WipeNotice) => void = () => {}
  const wiped = new Promise<WipeNotice>((resolve) => { onWiped = resolve })
  const wipe = {
    erase: async (notice: WipeNotice, unsentReport?: Uint8Array) => { await eraseDevice(ctx.dataDir, notice, unsentReport) },
    onWiped: (notice: WipeNotice) => { onWiped(notice) },
    // an order that does not verify, or not for us, is worth a line; an unreachable node is not (revocation checks are as quiet)
    onError: (err: unknown) => { if (err instanceof Error && REFUSED_ORDER.has(err.name)) ctx.out.note(`warning: ignored a wipe order: ${err.name}: ${err.message}`) }
  }
  const db = await openDeviceDb(ctx.dataDir)
  let device: OpenDevice
  try {
    // the bootstrap list also goes to libp2p: its bootstrap service dials it once at start (goOnline dials too, to wait on it)
    device = await openDevice({ db, ...(storageKey != null ? { storageKey } : {}), listen, bootstrap: config.bootstrap, mdns: mdnsOff == null ? { serviceTag } : false, nodeUrls: config.nodeUrl != null ? [config.nodeUrl] : [], wipe })
  } catch (err) {
    await db.close()
    throw err
  }
  let syncs = 0
  let completeSyncs = 0
  let failures = 0
  const found = new Set<string>()
  const offSync = device.messenger.on('sync', (s) => {
    if (s.finished) syncs++
    if (s.finished && s.complete === true) completeSyncs++
  })
  const offError = device.messenger.on('error', () => { failures++ })
  // mDNS is the only discovery service a Node.js device runs: every discovered peer came from it
  const onDiscovery = (event: CustomEvent<{ id: { toString: () => string } }>): void => { found.add(event.detail.id.toString()) }
  device.libp2p.addEventListener('peer:discovery', onDiscovery)
  return {
    dataDir: ctx.dataDir,
    device,
    config,
    mdns: mdnsOff == null ? { on: true, found: () => found.size } : { on: false, why: mdnsOff },
    syncs: () => syncs,
    completeSyncs: () => completeSyncs,
    failures: () => failures,
    wiped,
    async stop () {
      offSync()
      offError()
      device.libp2p.removeEventListener('peer:discovery', onDiscovery)
      // a wipe check still running may yet stop and erase the device: let it finish first (bounded by its fetch timeout)
      await device.wipeIdle()
      if (device.wiped() != null) return
      await device.messenger.idle()
      await device.stop()
    }
  }
}
