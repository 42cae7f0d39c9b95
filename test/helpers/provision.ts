import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import {
  generateMlsSignatureKeyPair, generateSigningKeyPair, issueCertificate, loadSuite, TrustStore, type SigningKeyPair
} from '@dak/protocol'
import { openDeviceStore } from '../../node/src/storage/index.js'

const YEAR = 365 * 86_400_000

/** A department authority for tests that do not run a department node (LAN-only meshes). */
export interface TestAuthority {
  key: SigningKeyPair
  department: string
  trust: TrustStore
}

export function testAuthority (department = 'test.department'): TestAuthority {
  const key = generateSigningKeyPair()
  return { key, department, trust: new TrustStore([{ department, name: 'Test Department', publicKey: key.publicKey }]) }
}

export interface ProvisionedDevice {
  handle: string
  dir: string
  db: () => ClassicLevel<string, Uint8Array>
  cleanup: () => Promise<void>
}

/** Enrol a device directly with a test authority: identity written to a fresh classic-level store. */
export async function provisionDevice (authority: TestAuthority, handle: string, options: { notAfter?: number } = {}): Promise<ProvisionedDevice> {
  const dir = await mkdtemp(join(tmpdir(), `dak-${handle}-`))
  const device = generateSigningKeyPair()
  const mls = await generateMlsSignatureKeyPair(await loadSuite())
  const now = Date.now()
  const certificate = issueCertificate(authority.key, {
    handle,
    displayName: handle.replace(/^./, c => c.toUpperCase()),
    title: 'Section Officer',
    department: authority.department,
    devicePublicKey: device.publicKey,
    mlsSignatureKey: mls.publicKey,
    notBefore: now - 60_000,
    notAfter: options.notAfter ?? now + YEAR,
    serial: 1
  })
  const db = (): ClassicLevel<string, Uint8Array> => new ClassicLevel<string, Uint8Array>(join(dir, 'db'), { valueEncoding: 'view' })
  const store = await openDeviceStore(db())
  await store.identity.put({ deviceSeed: device.privateKey, mlsSignatureKey: mls, certificate: certificate.bytes, trustBundle: authority.trust.encode() })
  await store.close()
  return { handle, dir, db, cleanup: async () => { await rm(dir, { recursive: true, force: true }) } }
}
