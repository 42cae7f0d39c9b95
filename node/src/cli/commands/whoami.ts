import { decodeCertificate, TrustStore } from '@dak/protocol'
import { storedNotice } from '../../device/own-revocation.js'
import { revokedMessage } from '../../messenger/closed.js'
import { officerOf } from '../../messenger/officers.js'
import { NotEnrolledError } from '../../net/index.js'
import { openDeviceStore, type DeviceStore } from '../../storage/index.js'
import type { Run } from '../command.js'
import { readConfig } from '../config.js'
import { openDeviceDb } from '../device-db.js'
import { deviceStorageKey } from '../device-key.js'
import { EXIT } from '../exit-codes.js'

/** Who this device is, from the store alone: no network, so it answers at once. */
export const whoami: Run = async (ctx) => {
  const { out, dataDir, host } = ctx
  // in a running dak (running mode) the store is already open there
  const config = host?.config ?? await readConfig(dataDir)
  const store = host?.device.store ?? await openOwnStore(ctx)
  let identity
  let lists
  try {
    identity = await store.identity.get()
    lists = await store.identity.revocationLists()
  } finally {
    if (host == null) await store.close()
  }
  if (identity.certificate == null) throw new NotEnrolledError(`${dataDir} holds no enrolled device: run \`dak init --invite ...\``)
  const certificate = decodeCertificate(identity.certificate).certificate
  const me = officerOf(certificate)
  const validUntil = new Date(certificate.notAfter).toISOString()
  // revoked: what this device learnt from its department's signed list (recorded, or in a stored list)
  const revoked = identity.trustBundle != null ? storedNotice(identity.revoked, lists.map(l => l.list), certificate, TrustStore.decode(identity.trustBundle)) : undefined
  const state = revoked != null ? 'revoked' : Date.now() >= certificate.notAfter ? 'expired' : 'valid'
  const line = revoked != null ? `certificate revoked: ${revokedMessage(revoked)}` : `certificate ${state === 'expired' ? 'expired' : 'valid until'} ${validUntil}`
  out.result({ ...me, validUntil, certificate: state, ...(revoked != null ? { revoked } : {}), dataDir, ...(config.nodeUrl != null ? { nodeUrl: config.nodeUrl } : {}) },
    `${me.handle}\t${me.displayName}, ${me.title} (${me.department})\ndevice ${me.deviceKey}\n${line}` + (config.nodeUrl != null ? `\ndepartment node ${config.nodeUrl}` : ''))
  return EXIT.ok
}

async function openOwnStore (ctx: Parameters<Run>[0]): Promise<DeviceStore> {
  const storageKey = await deviceStorageKey(ctx)
  return await openDeviceStore(await openDeviceDb(ctx.dataDir), storageKey != null ? { storageKey } : {})
}
