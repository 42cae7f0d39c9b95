import { decodeCertificate } from '@dak/protocol'
import { officerOf } from '../../messenger/officers.js'
import { NotEnrolledError } from '../../net/index.js'
import { openDeviceStore } from '../../storage/index.js'
import type { Run } from '../command.js'
import { readConfig } from '../config.js'
import { openDeviceDb } from '../device-db.js'
import { EXIT } from '../exit-codes.js'

/** Who this device is, from the store alone: no network, so it answers at once. */
export const whoami: Run = async ({ out, dataDir, host }) => {
  // in a running dak (running mode) the store is already open there
  const config = host?.config ?? await readConfig(dataDir)
  const store = host?.device.store ?? await openDeviceStore(await openDeviceDb(dataDir))
  let identity
  try {
    identity = await store.identity.get()
  } finally {
    if (host == null) await store.close()
  }
  if (identity.certificate == null) throw new NotEnrolledError(`${dataDir} holds no enrolled device: run \`dak init --invite ...\``)
  const certificate = decodeCertificate(identity.certificate).certificate
  const me = officerOf(certificate)
  const validUntil = new Date(certificate.notAfter).toISOString()
  out.result({ ...me, validUntil, dataDir, ...(config.nodeUrl != null ? { nodeUrl: config.nodeUrl } : {}) },
    `${me.handle}\t${me.displayName}, ${me.title} (${me.department})\ndevice ${me.deviceKey}\ncertificate valid until ${validUntil}` + (config.nodeUrl != null ? `\ndepartment node ${config.nodeUrl}` : ''))
  return EXIT.ok
}
