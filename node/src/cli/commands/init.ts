import { X509Certificate } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { getCACertificates, setDefaultCACertificates } from 'node:tls'
import { enrolDevice } from '../../device/enrol-device.js'
import { officerOf } from '../../messenger/officers.js'
import { openDeviceStore } from '../../storage/index.js'
import type { Run } from '../command.js'
import { DEFAULT_LISTEN, writeConfig, type DakConfig } from '../config.js'
import { openDeviceDb } from '../device-db.js'
import { deviceStorageKey } from '../device-key.js'
import { AlreadyEnrolledError, NodeUnreachableError, UsageError } from '../errors.js'
import { EXIT } from '../exit-codes.js'

/**
 * Enrol: make this device's keys, present the invite to the department node,
 * keep the certificate, and remember how to reach the node (its multiaddrs
 * become the bootstrap list). Refuses a data directory that is already
 * enrolled: a second identity would silently orphan the first's conversations.
 */
/** How long `dak init` waits for an offline authority's signature unless --wait-minutes says otherwise. */
const DEFAULT_WAIT_MINUTES = 60
/** How often it asks again meanwhile. */
const ENROL_POLL_MS = 5_000

export const init: Run = async (ctx) => {
  const { args, out, dataDir, usage } = ctx
  // --link takes what `dak device link` printed on the officer's other device: an invite for the same officer (issue 16)
  const invite = args.strings.get('invite') ?? args.strings.get('link')
  if (invite == null) throw new UsageError(`--invite (or --link) is required: ${usage}`)
  if (args.strings.has('invite') && args.strings.has('link')) throw new UsageError(`give --invite or --link, not both: ${usage}`)
  const nodeUrl = args.strings.get('node')
  if (nodeUrl != null && !isWebAddress(nodeUrl)) throw new UsageError(`--node ${nodeUrl} is not a web address: give it as http://host:port or https://host, as your department gave it`)
  const waitMinutes = Number(args.strings.get('wait-minutes') ?? DEFAULT_WAIT_MINUTES)
  if (!Number.isFinite(waitMinutes) || waitMinutes < 0) throw new UsageError(`--wait-minutes ${args.strings.get('wait-minutes') ?? ''} is not a number of minutes`)
  const ca = args.strings.get('ca')
  if (ca != null) await trustDepartmentCa(ca)

  // the directory holds the device's private keys: only its owner may look in (a directory that exists keeps its mode)
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  // the storage key (passphrase-wrapped unless --no-passphrase) comes before anything is written to the store
  const storageKey = await deviceStorageKey(ctx, { enrolling: true })
  const sealed = storageKey != null ? { storageKey } : {}
  const existing = await openDeviceStore(await openDeviceDb(dataDir, { create: true }), sealed)
  let enrolledAlready: boolean
  try {
    enrolledAlready = (await existing.identity.get()).certificate != null
  } finally {
    await existing.close()
  }
  if (enrolledAlready) throw new AlreadyEnrolledError(`${dataDir} already holds an enrolled device (dak whoami): use another --data directory`)

  let enrolled
  try {
    enrolled = await enrolDevice({
      db: await openDeviceDb(dataDir, { create: true }),
      ...sealed,
      invite,
      ...(nodeUrl != null ? { nodeUrl } : {}),
      // an offline authority signs in a ceremony: the request is recorded, and this process asks again with the same keys
      waitForSignature: {
        timeoutMs: waitMinutes * 60_000,
        intervalMs: ENROL_POLL_MS,
        onPending: () => { out.note(`Your department signs certificates offline: the request for this device is recorded. Waiting up to ${waitMinutes} minute(s) for department IT to sign it (keep this running; Ctrl-C gives up, and then a new invite is needed)…`) }
      }
    })
  } catch (err) {
    throw unreachable(err, nodeUrl ?? linkOrigin(invite)) ?? err
  }
  const config: DakConfig = {
    nodeUrl: enrolled.nodeUrl,
    department: enrolled.node.department,
    bootstrap: enrolled.node.multiaddrs,
    listen: args.lists.get('listen') ?? [...DEFAULT_LISTEN],
    // LAN discovery is on unless turned off here (or later in config.json)
    mdns: !args.booleans.has('no-mdns')
  }
  await writeConfig(dataDir, config)
  const me = officerOf(enrolled.certificate)
  // a linked device: what to run on the officer's other device so it vouches for this one and adds it everywhere
  const linkHint = args.strings.has('link') ? `\non your other device: dak device vouch ${me.deviceKey.slice(0, 16)}` : ''
  out.result({ ...me, dataDir, nodeUrl: config.nodeUrl, bootstrap: config.bootstrap }, `enrolled as ${me.handle} (${me.displayName}, ${me.title}, ${me.department}) in ${dataDir}${linkHint}`)
  return EXIT.ok
}

/**
 * `--ca FILE`: trust the department's own CA (docs/department-node.md,
 * "HTTPS") for this enrolment, besides the system's. Only `init` speaks
 * HTTPS to the node; afterwards the device talks libp2p, which the
 * certificate gate authenticates, so the CA is not kept.
 */
async function trustDepartmentCa (file: string): Promise<void> {
  let pem: string
  try {
    pem = await readFile(file, 'utf8')
    if (!new X509Certificate(pem).ca) throw new Error('it is not a CA certificate')
  } catch (err) {
    throw new UsageError(`--ca ${file}: ${(err as Error).message}`)
  }
  setDefaultCACertificates([...getCACertificates('default'), pem])
}

/**
 * fetch() says only "fetch failed", with the reason in `cause`: name the
 * address and what to check instead. Undefined for any other error.
 */
function unreachable (err: unknown, url: string | undefined): NodeUnreachableError | undefined {
  if (!(err instanceof TypeError) || err.message !== 'fetch failed') return undefined
  const cause = (err as { cause?: { code?: string, message?: string } }).cause
  const why = cause?.code ?? cause?.message ?? 'no answer'
  return new NodeUnreachableError(`could not reach the department node at ${url ?? 'the address given'} (${why}): check the address (http:// or https://, host name and port, as your department gave it) and that this computer can reach it`)
}

function isWebAddress (text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol)
  } catch {
    return false
  }
}

function linkOrigin (invite: string): string | undefined {
  try {
    return /^https?:/i.test(invite.trim()) ? new URL(invite.trim()).origin : undefined
  } catch {
    return undefined
  }
}
