import { generateMlsSignatureKeyPair, generateSigningKeyPair, issueCertificate, issueRevocationList, loadSuite, TrustStore } from '@dak/protocol'
import { RevocationList } from '../../../protocol/src/wire/generated/identity.js'
import { describe, expect, it } from 'vitest'
import { storedNotice } from './own-revocation.js'

const NOW = Date.now()

async function enrolled () {
  const authority = generateSigningKeyPair()
  const trust = new TrustStore([{ department: 'mof.budget', name: 'Budget Division', publicKey: authority.publicKey }])
  const device = generateSigningKeyPair()
  const mls = await generateMlsSignatureKeyPair(await loadSuite())
  const certificate = issueCertificate(authority, {
    handle: 'bala', displayName: 'Bala', title: 'Section Officer', department: 'mof.budget',
    devicePublicKey: device.publicKey, mlsSignatureKey: mls.publicKey, notBefore: NOW - 60_000, notAfter: NOW + 86_400_000, serial: 1
  })
  return { authority, trust, device, certificate }
}

describe('what a device believes about its own revocation', () => {
  it('believes a list signed by its own authority that names it, and says by whom and when', async () => {
    const { authority, trust, device, certificate } = await enrolled()
    const list = issueRevocationList(authority, 3, NOW - 5_000, [generateSigningKeyPair().publicKey, device.publicKey])
    expect(storedNotice(undefined, [list], certificate, trust)).toEqual({ at: NOW - 5_000, department: 'Budget Division' })
    // the notice recorded when it was first learnt wins over a later list
    expect(storedNotice({ at: 1, department: 'Budget Division' }, [list], certificate, trust)).toEqual({ at: 1, department: 'Budget Division' })
  })

  it('ignores lists that do not name it, are signed by an authority it does not trust, or were tampered with', async () => {
    const { authority, trust, device, certificate } = await enrolled()
    const stranger = generateSigningKeyPair()
    const notMe = issueRevocationList(authority, 2, NOW, [generateSigningKeyPair().publicKey])
    const forged = issueRevocationList(stranger, 9, NOW, [device.publicKey])
    const genuine = RevocationList.decode(issueRevocationList(authority, 4, NOW, [generateSigningKeyPair().publicKey]))
    // the genuine signature over a body swapped for one naming this device
    const swapped = RevocationList.encode({ body: RevocationList.decode(issueRevocationList(stranger, 4, NOW, [device.publicKey])).body, signature: genuine.signature })
    expect(storedNotice(undefined, [notMe, forged, swapped], certificate, trust)).toBeUndefined()
  })
})
