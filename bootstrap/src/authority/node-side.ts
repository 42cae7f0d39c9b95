import { fromHex, toHex } from '@dak/protocol'
import type { RevocationOutcome } from '../enrolment/index.js'
import type { AuthorityRevocations } from '../node/revocations.js'
import type { DepartmentConfig } from '../config/config.js'
import type { DepartmentKeys } from '../identity/node-keys.js'
import { writeNodeCertificate } from '../node/node-certificate.js'
import type { DepartmentStorage } from '../node/storage.js'
import { REQUESTS_FORMAT, type RequestsFile, type SignedFile } from './ceremony-files.js'
import { importSigned, type Imported } from './import-signed.js'

/**
 * The node's two steps of the offline ceremony, the same whether the node is
 * running (through its admin API) or stopped (the CLI opens the database):
 * write out what waits to be signed, and take in what was signed.
 */
export interface AuthorityCeremony {
  requests: () => Promise<RequestsFile>
  import: (signed: SignedFile) => Promise<Imported & { revocation?: RevocationOutcome }>
}

export function authorityCeremony (config: DepartmentConfig, keys: DepartmentKeys, storage: DepartmentStorage, revocations: AuthorityRevocations, now: () => number): AuthorityCeremony {
  return {
    requests: async () => {
      const targets = await storage.requests.revocationTargets()
      const revocation = targets.length === 0 ? undefined : await storage.devices.plannedRevocation(targets, now())
      return {
        format: REQUESTS_FORMAT,
        department: config.department,
        authorityPublicKey: toHex(keys.authorityPublicKey),
        requests: await storage.requests.unsigned(),
        node: { nodePublicKey: toHex(keys.node.publicKey), departmentName: config.departmentName, validityDays: config.certificateValidityDays },
        ...(revocation != null ? { revocation: { serial: revocation.serial, devices: revocation.keys.map(toHex) } } : {})
      }
    },
    import: async (signed) => {
      const imported = await importSigned({
        db: storage.db,
        requests: storage.requests,
        devices: storage.devices,
        log: storage.log,
        department: config.department,
        departmentName: config.departmentName,
        authorityPublicKey: keys.authorityPublicKey,
        nodePublicKey: keys.node.publicKey
      }, signed, now())
      if (imported.node != null) await writeNodeCertificate(config.dataDir, imported.node)
      const revocation = signed.revocationList == null ? undefined : await revocations.importList(fromHex(signed.revocationList))
      return { ...imported, ...(revocation != null ? { revocation } : {}) }
    }
  }
}
