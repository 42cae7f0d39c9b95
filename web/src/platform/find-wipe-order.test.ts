import { generateMlsSignatureKeyPair, generateSigningKeyPair, issueCertificate, issueWipeOrder, loadSuite, TrustStore } from '@dak/protocol'
import { describe, expect, it } from 'vitest'
import { findWipeOrder } from './find-wipe-order.js'
import type { WipeWatchRecord } from './wipe-watch-record.js'

/**
 * What a locked browser obeys (issue 14, docs/web.md *Remote wipe while
 * locked*), from the record kept readable without the PIN: an order signed by
 * its own authority for itself, and nothing else. The node's web face is a
 * fetch answering per address (the Chromium test, test/web/locked-wipe.test.ts,
 * runs it against a real department node).
 */
async function enrolled (nodeUrls: string[]) {
  const authority = generateSigningKeyPair()
  const trust = new TrustStore([{ department: 'mof.budget', name: 'Budget Division', publicKey: authority.publicKey }])
  const deviceKeys = generateSigningKeyPair()
  const mls = await generateMlsSignatureKeyPair(await loadSuite())
  const now = Date.now()
  const certificate = issueCertificate(authority, {
    handle: 'ravi', displayName: 'Ravi', title: 'Section Officer', department: 'mof.budget',
    devicePublicKey: deviceKeys.publicKey, mlsSignatureKey: mls.publicKey, notBefore: now - 60_000, notAfter: now + 86_400_000, serial: 1
  })
  const record: WipeWatchRecord = { certificate: certificate.bytes, trustBundle: trust.encode(), nodeUrls }
  return { authority, deviceKeys, record }
}

/** Each node's answer to a wipe-order GET: bytes, nothing (204), or a network failure. */
function face (answers: Record<string, Uint8Array | undefined | 'down'>): { fetch: typeof fetch, asked: string[] } {
  const asked: string[] = []
  const fetchFn = (async (input: string | URL | Request) => {
    const url = new URL(String(input))
    asked.push(`${url.origin}?device=${url.searchParams.get('device') ?? ''}`)
    const answer = answers[url.origin]
    if (answer === 'down') throw new TypeError('Failed to fetch')
    return answer === undefined ? new Response(null, { status: 204 }) : new Response(new Uint8Array(answer), { status: 200 })
  }) as typeof fetch
  return { fetch: fetchFn, asked }
}

const A = 'http://node-a.test'
const B = 'http://node-b.test'

describe('a locked browser\'s wipe check', () => {
  it('finds nothing while the node has no order, asking with the device\'s own key', async () => {
    const { record, deviceKeys } = await enrolled([A])
    const web = face({})
    expect(await findWipeOrder(record, { fetch: web.fetch })).toBeUndefined()
    expect(web.asked).toEqual([`${A}?device=${Buffer.from(deviceKeys.publicKey).toString('hex')}`])
  })

  it('obeys an order its own authority signed for it, naming the department as the bundle does', async () => {
    const { record, authority, deviceKeys } = await enrolled([A])
    const issuedAt = Date.now() - 1_000
    const found = await findWipeOrder(record, { fetch: face({ [A]: issueWipeOrder(authority, deviceKeys.publicKey, issuedAt) }).fetch })
    expect(found?.department).toBe('Budget Division')
    expect(found?.order.issuedAt).toBe(issuedAt)
  })

  it('refuses an order from another authority or for another device, and says why', async () => {
    const { record, deviceKeys } = await enrolled([A])
    const stranger = generateSigningKeyPair()
    const errors: string[] = []
    expect(await findWipeOrder(record, { fetch: face({ [A]: issueWipeOrder(stranger, deviceKeys.publicKey, Date.now()) }).fetch, onError: (err) => { errors.push((err as Error).name) } })).toBeUndefined()
    const other = await enrolled([A])
    expect(await findWipeOrder(record, { fetch: face({ [A]: issueWipeOrder(other.authority, generateSigningKeyPair().publicKey, Date.now()) }).fetch, onError: (err) => { errors.push((err as Error).name) } })).toBeUndefined()
    expect(errors).toEqual(['WipeOrderRefusedError', 'WipeOrderRefusedError'])
  })

  it('asks the next node when one cannot be reached', async () => {
    const { record, authority, deviceKeys } = await enrolled([A, B])
    const errors: unknown[] = []
    const found = await findWipeOrder(record, { fetch: face({ [A]: 'down', [B]: issueWipeOrder(authority, deviceKeys.publicKey, Date.now()) }).fetch, onError: (err) => { errors.push(err) } })
    expect(found).toBeDefined()
    expect(errors).toHaveLength(1)
  })
})
