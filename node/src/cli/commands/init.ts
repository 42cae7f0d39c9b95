import { X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { getCACertificates, setDefaultCACertificates } from 'node:tls'
import { enrolDevice } from '../../device/enrol-device.js'
import { officerOf } from '../../messenger/officers.js'
import { openDeviceStore } from '../../storage/index.js'
import type { Run } from '../command.js'
import { DEFAULT_LISTEN, writeConfig, type DakConfig } from '../config.js'
import { openDeviceDb } from '../device-db.js'
import { AlreadyEnrolledError, UsageError } from '../errors.js'
import { EXIT } from '../exit-codes.js'

/**
 * Enrol: make this device's keys, present the invite to the department node,
 * keep the certificate, and remember how to reach the node (its multiaddrs
 * become the bootstrap list). Refuses a data directory that is already
 * enrolled: a second identity would silently orphan the first's conversations.
 */
export const init: Run = async ({ args, out, dataDir, usage }) => {
  const invite = args.strings.get('invite')
  if (invite == null) throw new UsageError(`--invite is required: ${usage}`)
  const nodeUrl = args.strings.get('node')
  const ca = args.strings.get('ca')
  if (ca != null) await trustDepartmentCa(ca)

  const existing = await openDeviceStore(await openDeviceDb(dataDir, { create: true }))
  let enrolledAlready: boolean
  try {
    enrolledAlready = (await existing.identity.get()).certificate != null
  } finally {
    await existing.close()
  }
  if (enrolledAlready) throw new AlreadyEnrolledError(`${dataDir} already holds an enrolled device (dak whoami): use another --data directory`)

  const enrolled = await enrolDevice({ db: await openDeviceDb(dataDir, { create: true }), invite, ...(nodeUrl != null ? { nodeUrl } : {}) })
  const config: DakConfig = {
    nodeUrl: enrolled.nodeUrl,
    department: enrolled.node.department,
    bootstrap: enrolled.node.multiaddrs,
    listen: args.lists.get('listen') ?? [...DEFAULT_LISTEN],
    mdns: args.booleans.has('mdns')
  }
  await writeConfig(dataDir, config)
  const me = officerOf(enrolled.certificate)
  out.result({ ...me, dataDir, nodeUrl: config.nodeUrl, bootstrap: config.bootstrap }, `enrolled as ${me.handle} (${me.displayName}, ${me.title}, ${me.department}) in ${dataDir}`)
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
