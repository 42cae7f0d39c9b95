import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ClassicLevel } from 'classic-level'
import { bytesEqual, decodeCertificate, toHex, generateSigningKeyPair, issueCertificate, rpc, TrustBundle, TrustStore, type Authority } from '@dak/protocol'
import { enrolDevice } from '../../node/src/device/enrol-device.js'
import { openDeviceStore } from '../../node/src/storage/index.js'
import type { DepartmentNode } from '../../bootstrap/src/node/department-node.js'
import { cleanup, startDepartment } from '../department/helpers.js'
import { startEnrolmentProxy, type EnrolmentProxy, type EnrolmentTamper } from './enrolment-proxy.js'

/*
 * THREATS.md "Network attacker during enrolment": an attacker between a new
 * device and its department node's HTTP rewrites the enrolment answer so the
 * device would trust the attacker's authority for its own department, and
 * then take the attacker's certificates for its colleagues.
 */

const proxies: EnrolmentProxy[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close()
  await cleanup()
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

const DEPARTMENT = 'mof.budget'
const attacker = generateSigningKeyPair()
const attackerAuthority: Authority = { department: DEPARTMENT, name: 'Budget Division', publicKey: attacker.publicKey }

function bundle (answer: rpc.EnrolResponse): Authority[] {
  return TrustBundle.decode(answer.trustBundle).authorities
}

/** The real certificate's fields, signed by the attacker for the same device keys. */
function attackerCertificate (answer: rpc.EnrolResponse): Uint8Array {
  const { certificate } = decodeCertificate(answer.certificate)
  const { authorityPublicKey: _real, bytes: _bytes, ...fields } = certificate
  return issueCertificate(attacker, fields).bytes
}

const SWAPS: Record<string, EnrolmentTamper> = {
  'bundle replaced by the attacker\'s authority, certificate re-signed': (answer) => ({
    ...answer, trustBundle: TrustBundle.encode({ authorities: [attackerAuthority] }), certificate: attackerCertificate(answer)
  }),
  'attacker\'s authority added for the same department': (answer) => ({
    ...answer, trustBundle: TrustBundle.encode({ authorities: [...bundle(answer), attackerAuthority] })
  }),
  'attacker\'s authority added first, certificate re-signed': (answer) => ({
    ...answer, trustBundle: TrustBundle.encode({ authorities: [attackerAuthority, ...bundle(answer)] }), certificate: attackerCertificate(answer)
  }),
  'attacker\'s authority added with an endorsement it signed itself': (answer) => ({
    ...answer,
    trustBundle: TrustBundle.encode({
      authorities: [...bundle(answer), { ...attackerAuthority, endorsedBy: bundle(answer)[0]?.publicKey, endorsement: new Uint8Array(64).fill(7) }]
    })
  })
}

interface Attempt { outcome: string, attackerTrusted: number, stored: boolean }

async function enrolThrough (node: DepartmentNode, tamper: EnrolmentTamper): Promise<Attempt> {
  const proxy = await startEnrolmentProxy(node.httpUrl, tamper)
  proxies.push(proxy)
  const dir = await mkdtemp(join(tmpdir(), 'dak-enrol-attack-'))
  dirs.push(dir)
  const db = (): ClassicLevel<string, Uint8Array> => new ClassicLevel<string, Uint8Array>(join(dir, 'db'), { valueEncoding: 'view' })
  const invite = await node.createInvite({ handle: 'asha.rao', displayName: 'Asha Rao', title: 'Under Secretary' })
  const outcome = await enrolDevice({ db: db(), invite: invite.url, nodeUrl: proxy.url }).then(() => 'enrolled', (err: Error) => err.name)
  expect(proxy.tampered()).toBe(1)
  const store = await openDeviceStore(db())
  try {
    const identity = await store.identity.get()
    const trusted = identity.trustBundle == null ? [] : TrustStore.decode(identity.trustBundle).authorities()
    return { outcome, attackerTrusted: trusted.filter(a => bytesEqual(a.publicKey, attacker.publicKey)).length, stored: identity.certificate != null }
  } finally {
    await store.close()
  }
}

describe('THREATS: network attacker during enrolment', () => {
  it('an honest path through the same proxy still enrols', async () => {
    const node = await startDepartment({ department: DEPARTMENT })
    expect(await enrolThrough(node, answer => answer)).toEqual({ outcome: 'enrolled', attackerTrusted: 0, stored: true })
  })

  it('every swapped or added trust bundle is refused, and the device trusts nothing new', async () => {
    const node = await startDepartment({ department: DEPARTMENT })
    const results: Record<string, Attempt> = {}
    for (const [name, tamper] of Object.entries(SWAPS)) results[name] = await enrolThrough(node, tamper)
    const refused = Object.values(results).filter(r => r.outcome !== 'enrolled').length
    const trusted = Object.values(results).reduce((sum, r) => sum + r.attackerTrusted, 0)
    console.log(`[threats] enrolment: ${refused} of ${Object.keys(SWAPS).length} swapped bundles refused, ${trusted} authorities trusted`)
    for (const [name, result] of Object.entries(results)) {
      expect({ name, ...result }).toMatchObject({ name, attackerTrusted: 0, stored: false })
      expect(['TrustBundleMismatchError', 'UnendorsedAuthorityError']).toContain(result.outcome)
    }
  })

  it('a node info naming another authority or peer is refused before the invite\'s secret is sent, so the invite still works', async () => {
    const node = await startDepartment({ department: DEPARTMENT })
    for (const swap of [{ authorityPublicKey: toHex(attacker.publicKey) }, { peerId: '12D3KooWAttackerAttackerAttackerAttackerAttackerAtta' }]) {
      const proxy = await startEnrolmentProxy(node.httpUrl, answer => answer, info => ({ ...info, ...swap }))
      proxies.push(proxy)
      const dir = await mkdtemp(join(tmpdir(), 'dak-enrol-attack-'))
      dirs.push(dir)
      const db = (): ClassicLevel<string, Uint8Array> => new ClassicLevel<string, Uint8Array>(join(dir, 'db'), { valueEncoding: 'view' })
      const invite = await node.createInvite({ handle: 'asha.rao', displayName: 'Asha Rao', title: 'Under Secretary' })
      await expect(enrolDevice({ db: db(), invite: invite.url, nodeUrl: proxy.url })).rejects.toMatchObject({ name: 'TrustBundleMismatchError' })
      expect(proxy.enrolRequests()).toBe(0)
      // the same invite, on an honest path: not burned
      await enrolDevice({ db: db(), invite: invite.url, nodeUrl: node.httpUrl })
    }
  })
})
