import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { decodeCertificate, generateSigningKeyPair, parseInviteCode, signingKeyPairFromSeed } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { enrolDevice } from '../../node/src/device/enrol-device.js'
import { EnrolmentPendingError } from '@dak/protocol/department'
import { enrolOverHttp } from '../../node/src/department/index.js'
import { exportAuthorityKey } from '../../bootstrap/src/authority/export-key.js'
import { signRequests } from '../../bootstrap/src/authority/sign.js'
import { parseRequestsFile, parseSignedFile } from '../../bootstrap/src/authority/ceremony-files.js'
import { createDepartmentNode } from '../../bootstrap/src/node/department-node.js'
import { loadDepartmentKeys } from '../../bootstrap/src/identity/node-keys.js'
import { issueNodeCertificate } from '../../bootstrap/src/node/node-certificate.js'
import { cleanup, connect, startDepartment, startDevice, testConfig } from './helpers.js'

afterEach(cleanup)

/** Every file under `dir`, recursively (the node's data dir: keys, certificate, LevelDB files). */
async function filesUnder (dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...await filesUnder(path))
    else if (entry.isFile()) out.push(path)
  }
  return out
}

/** The files under `dir` that contain `secret` anywhere in their bytes. */
async function filesHolding (dir: string, secret: Uint8Array): Promise<string[]> {
  const holding: string[] = []
  for (const file of await filesUnder(dir)) {
    if ((await readFile(file)).indexOf(secret) >= 0) holding.push(file)
  }
  return holding
}

const tempDir = async (name: string): Promise<string> => await mkdtemp(join(tmpdir(), `dak-${name}-`))

describe('offline authority (issue 12, part 3)', () => {
  it('keeps no authority key on the node; a device enrols only after the offline signing, and the node\'s certificate is renewed the same way', async () => {
    const config = await testConfig({ webrtcDirectPort: 'off' })
    const keeper = await tempDir('authority-keeper')
    const device = await tempDir('device')
    try {
      // the authority key as made at setup, read before it leaves
      await loadDepartmentKeys(config.dataDir)
      const seed = new Uint8Array(await readFile(join(config.dataDir, 'authority.key')))
      const authority = signingKeyPairFromSeed(seed)
      const keyFile = join(keeper, 'authority.key')
      const exported = await exportAuthorityKey(config, keyFile, Date.now())
      expect(exported.authorityPublicKey).toBe(Buffer.from(authority.publicKey).toString('hex'))
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
      expect(await filesHolding(config.dataDir, seed)).toEqual([])
      await expect(exportAuthorityKey(config, join(keeper, 'again.key'), Date.now())).rejects.toMatchObject({ name: 'AuthorityAlreadyOfflineError' })

      const node = await createDepartmentNode(config, { onError: () => {} })
      let stopped = false
      try {
        expect((await node.status()).authority).toBe('offline')
        const firstNodeCertificate = node.certificate()
        // a node without the key signs nothing: not its own certificate, not a revocation list
        expect(() => issueNodeCertificate(config, { authority: null, authorityPublicKey: authority.publicKey, node: generateSigningKeyPair() }, Date.now())).toThrow(expect.objectContaining({ name: 'AuthorityOfflineError' }))
        await expect(node.revoke({ handle: 'nobody' })).rejects.toMatchObject({ name: 'UnknownDeviceError' })

        const invite = await node.createInvite({ handle: 'asha.rao', displayName: 'Asha Rao', title: 'Under Secretary' })
        const pending: EnrolmentPendingError[] = []
        const enrolling = enrolDevice({
          db: new ClassicLevel<string, Uint8Array>(join(device, 'db'), { valueEncoding: 'view' }),
          invite: invite.link,
          nodeUrl: node.httpUrl,
          waitForSignature: { timeoutMs: 60_000, intervalMs: 100, onPending: (err) => { pending.push(err) } }
        })
        let settled = false
        void enrolling.then(() => { settled = true }, () => { settled = true })

        // the request reaches the node and waits there; nothing is enrolled, and the device keeps asking
        let requests = await node.certificateRequests()
        for (let i = 0; requests.requests.length === 0 && i < 200; i++) {
          await new Promise(resolve => setTimeout(resolve, 50))
          requests = await node.certificateRequests()
        }
        expect(requests.requests.map(r => [r.handle, r.displayName, r.title])).toEqual([['asha.rao', 'Asha Rao', 'Under Secretary']])
        expect(pending).toHaveLength(1)
        expect(pending[0]?.message).toMatch(/offline/)
        expect(await node.devices()).toEqual([])
        expect(settled).toBe(false)

        // the ceremony: the requests file goes to the machine with the key, the signed file comes back
        const carried = parseRequestsFile(JSON.stringify(requests))
        const wrongKey = generateSigningKeyPair()
        expect(() => signRequests(carried, wrongKey, Date.now())).toThrow(expect.objectContaining({ name: 'AuthorityKeyMismatchError' }))
        const signed = parseSignedFile(JSON.stringify(signRequests(carried, signingKeyPairFromSeed(new Uint8Array(await readFile(keyFile))), Date.now() + 1000)))
        // a certificate nobody asked for is refused, and nothing of that file is imported
        const forged = signRequests({ ...carried, requests: [{ ...carried.requests[0]!, deviceKey: Buffer.from(generateSigningKeyPair().publicKey).toString('hex') }] }, authority, Date.now())
        await expect(node.importSigned(forged)).rejects.toMatchObject({ name: 'UnrequestedCertificateError' })
        expect(await node.devices()).toEqual([])

        expect(await node.importSigned(signed)).toEqual({ enrolled: 1, nodeCertificate: true, revoked: 0 })
        const enrolled = await enrolling
        expect(enrolled.certificate).toMatchObject({ handle: 'asha.rao', department: 'mof.budget' })
        expect(enrolled.certificate.authorityPublicKey).toEqual(authority.publicKey)
        expect((await node.devices()).map(d => [d.handle, d.state])).toEqual([['asha.rao', 'active']])
        // the node's certificate was renewed by the same ceremony, and is what it presents now
        expect(node.certificate().notBefore).toBeGreaterThan(firstNodeCertificate.notBefore)
        expect(decodeCertificate(new Uint8Array(await readFile(join(config.dataDir, 'node.cert')))).certificate.notBefore).toBe(node.certificate().notBefore)
        // importing the same file again enrols nobody twice
        expect(await node.importSigned(signed)).toEqual({ enrolled: 0, nodeCertificate: true, revoked: 0 })

        await node.stop()
        stopped = true
        // after all of it (database written, certificate logged), still no byte of the key in the data dir
        expect(await filesHolding(config.dataDir, seed)).toEqual([])
      } finally {
        if (!stopped) await node.stop()
      }
    } finally {
      await rm(keeper, { recursive: true, force: true })
      await rm(device, { recursive: true, force: true })
    }
  })

  it('a device enrolled by the ceremony reaches the node through both certificate gates, and is revoked by the next ceremony', async () => {
    const config = await testConfig({ webrtcDirectPort: 'off' })
    const keeper = await tempDir('authority-keeper')
    try {
      const keyFile = join(keeper, 'authority.key')
      await exportAuthorityKey(config, keyFile, Date.now())
      const node = await startDepartment(config, {})
      const invite = await node.createInvite({ handle: 'bala', displayName: 'Bala', title: 'Section Officer' })
      const keys = generateSigningKeyPair()
      const mlsKey = generateSigningKeyPair().publicKey
      const secret = parseInviteCode(invite.code)
      await expect(enrolOverHttp(node.httpUrl, secret, keys, mlsKey)).rejects.toBeInstanceOf(EnrolmentPendingError)
      // another device with the same invite is refused: the invite is spent on the recorded request
      await expect(enrolOverHttp(node.httpUrl, secret, generateSigningKeyPair(), mlsKey)).rejects.toMatchObject({ name: 'InviteAlreadyUsedError' })
      await node.importSigned(signRequests(await node.certificateRequests(), signingKeyPairFromSeed(new Uint8Array(await readFile(keyFile))), Date.now()))
      const enrolment = await enrolOverHttp(node.httpUrl, secret, keys, mlsKey)
      const device = await startDevice({ handle: 'bala', keys, mlsKey, enrolment })
      const client = await connect(device, node)
      expect((await client.directory()).map(c => decodeCertificate(c).certificate.handle)).toContain('bala')

      // revoking without the key: recorded (key packages gone at once), in force only once the ceremony signed the list
      const recorded = await node.revoke({ handle: 'bala' })
      expect(recorded).toMatchObject({ pending: true, revoked: [Buffer.from(keys.publicKey).toString('hex')], disconnected: 0 })
      expect((await node.devices()).map(d => d.state)).toEqual(['active'])
      const requests = await node.certificateRequests()
      expect(requests.revocation).toEqual({ serial: 1, devices: [Buffer.from(keys.publicKey).toString('hex')] })
      // a list signed for other devices is refused and changes nothing
      const wrong = signRequests({ ...requests, revocation: { serial: 1, devices: [Buffer.from(generateSigningKeyPair().publicKey).toString('hex')] } }, signingKeyPairFromSeed(new Uint8Array(await readFile(keyFile))), Date.now())
      await expect(node.importSigned(wrong)).rejects.toMatchObject({ name: 'UnrequestedCertificateError' })
      expect((await node.devices()).map(d => d.state)).toEqual(['active'])
      const hungUp = new Promise<void>((resolve) => { device.libp2p.addEventListener('peer:disconnect', (evt) => { if (evt.detail.equals(node.peerId)) resolve() }) })
      expect(await node.importSigned(signRequests(requests, signingKeyPairFromSeed(new Uint8Array(await readFile(keyFile))), Date.now()))).toMatchObject({ revoked: 1 })
      expect((await node.devices()).map(d => d.state)).toEqual(['revoked'])
      await hungUp
    } finally {
      await rm(keeper, { recursive: true, force: true })
    }
  })

  it('a node with the key offline and no certificate of its own refuses to start, with a typed error', async () => {
    const config = await testConfig({ webrtcDirectPort: 'off' })
    const keeper = await tempDir('authority-keeper')
    try {
      await exportAuthorityKey(config, join(keeper, 'authority.key'), Date.now())
      await rm(join(config.dataDir, 'node.cert'))
      await expect(createDepartmentNode(config, { onError: () => {} })).rejects.toMatchObject({ name: 'AuthorityOfflineError' })
    } finally {
      await rm(keeper, { recursive: true, force: true })
    }
  })
})
