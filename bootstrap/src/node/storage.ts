import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { DakError } from '@dak/protocol'
import type { DepartmentConfig } from '../config/config.js'
import { DeviceRegistry, EnrolmentService, InviteRegistry } from '../enrolment/index.js'
import { KeyPackageDirectory } from '../keypackages/index.js'
import { CommitSequencer } from '../sequencer/index.js'
import { EnvelopeStore, TopicRegistry, type Db } from '../store/index.js'
import { PostgresDb } from '../store/postgres/postgres-db.js'
import type { DepartmentKeys } from '../identity/node-keys.js'
import { CertificateLog } from '../transparency/certificate-log.js'
import { AuditLog } from '../audit/index.js'
import { WipeOrders } from '../wipe/wipe-orders.js'
import { deviceListing } from './device-list.js'
import { ChunkStore } from '../files/chunk-store.js'
import { CertificateRequests } from '../authority/certificate-requests.js'

/**
 * The department node's one database and the registries over it (their
 * sublevels are listed in docs/department-store.md). The database lives in
 * `<dataDir>/db`; LevelDB locks it, so only one process opens it at a time.
 */

/** Another process (normally a running `dak-node start`) holds the database. */
export class DataDirInUseError extends DakError { override name = 'DataDirInUseError' }

export interface DepartmentStorage {
  db: Db
  /** The shared engine, when the config names one (a scaled department); undefined on the embedded store. */
  engine?: PostgresDb
  store: EnvelopeStore
  topics: TopicRegistry
  sequencer: CommitSequencer
  keyPackages: KeyPackageDirectory
  invites: InviteRegistry
  devices: DeviceRegistry
  enrolment: EnrolmentService
  /** Every certificate and revocation list the authority issued, as a Merkle log (bootstrap/src/transparency). */
  log: CertificateLog
  /** Encrypted attachment chunks (docs/files.md). */
  chunks: ChunkStore
  /** Admin actions, hash-chained and signed by the node key (bootstrap/src/audit). */
  audit: AuditLog
  /** Remote wipe orders and the devices' reports (bootstrap/src/wipe). */
  wipes: WipeOrders
  /** Enrolments waiting for the offline authority's signature (bootstrap/src/authority). */
  requests: CertificateRequests
  close: () => Promise<void>
}

export function databaseDir (dataDir: string): string {
  return join(dataDir, 'db')
}

async function openEmbedded (dataDir: string): Promise<ClassicLevel<string, string>> {
  const db = new ClassicLevel<string, string>(databaseDir(dataDir))
  try {
    await db.open()
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause
    if (cause?.code === 'LEVEL_LOCKED') {
      throw new DataDirInUseError(`the database in ${dataDir} is in use by another process (is the node running?)`)
    }
    throw err
  }
  return db
}

export interface StorageHooks {
  /** An envelope was stored for the first time (committed): a scaled department tells its other processes. */
  onEnvelopeStored?: (topic: string, sequence: number) => void
}

export async function openDepartmentStorage (config: DepartmentConfig, keys: DepartmentKeys, trustBundle: () => Uint8Array, otherRevocationLists?: () => Uint8Array[], hooks: StorageHooks = {}): Promise<DepartmentStorage> {
  const engine = config.store != null ? await PostgresDb.open({ url: config.store }) : undefined
  const db: Db & { close: () => Promise<void> } = engine ?? await openEmbedded(config.dataDir)
  const devices = new DeviceRegistry({ db })
  const invites = new InviteRegistry({ db })
  const log = await CertificateLog.open(db, keys.node)
  const audit = await AuditLog.open(db, keys.node)
  // Whatever was issued before the log existed, or in a crash between the registry's write and the log's: in the log now.
  for await (const row of deviceListing(db).all()) await log.append('certificate', row.certificate)
  const requests = new CertificateRequests(db)
  const ownList = await devices.revocationList()
  if (ownList != null) await log.append('revocation', ownList)
  return {
    log,
    audit,
    wipes: new WipeOrders({ db, devices, authority: keys.authority, now: Date.now, audit }),
    db,
    ...(engine != null ? { engine } : {}),
    store: new EnvelopeStore({
      db,
      ...(hooks.onEnvelopeStored != null ? { onStored: hooks.onEnvelopeStored } : {}),
      nodeKey: keys.node,
      retentionDays: config.retentionDays,
      quotaEnvelopesPerDay: config.quotaEnvelopesPerDay,
      quotaBytesPerDay: config.quotaBytesPerDay
    }),
    topics: new TopicRegistry({ db }),
    // the department's maximum retention of messages holds for the files they carry too
    chunks: new ChunkStore({ db, retentionDays: config.maxMessageDays > 0 ? Math.min(config.fileRetentionDays, config.maxMessageDays) : config.fileRetentionDays, quotaBytesPerDevice: config.fileQuotaBytesPerDevice }),
    sequencer: new CommitSequencer({ db, nodeKey: keys.node }),
    keyPackages: new KeyPackageDirectory({ db }),
    invites,
    devices,
    requests,
    enrolment: new EnrolmentService({
      invites,
      devices,
      department: config.department,
      trustBundle,
      otherRevocationLists,
      certificateValidityDays: config.certificateValidityDays,
      log,
      audit,
      requests
    }),
    close: async () => { await db.close() }
  }
}
