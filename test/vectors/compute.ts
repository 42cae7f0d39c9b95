import {
  createInvite, DeviceCertificateCodec, encodeAppContent, EnvelopeCodec, EnvelopeKind, hashInviteSecret, inviteLink, issueCertificate,
  issueRevocationList, RevocationListCodec, safetyNumber, sealEnvelope, type SafetyParty, signDirective, signingKeyPairFromSeed, SIGNATURE_DOMAINS, toHex, TrustStore,
  directiveSignedBytes, type Content, issueWipeOrder, signWipeReport, wipeOrderHash, signDirectiveAck, directiveAckSignedBytes, directiveHash, encodeEvidence,
  signDeviceVouch
} from './protocol.js'

/**
 * Golden vectors: fixed keys and inputs, and the exact bytes Dak produces
 * from them. Written by generate.ts, checked by test/protocol/vectors.test.ts,
 * so a change to any wire format or signature shows up as a failing test
 * instead of passing silently. Other implementations can test against them.
 *
 * Keys are Ed25519 seeds made of counting bytes, so anyone can rebuild them.
 */

const DAY = 86_400_000
/** 2025-01-15T09:00:00Z */
const NOW = 1_736_931_600_000

function countingSeed (first: number): Uint8Array {
  return new Uint8Array(32).map((_, i) => first + i)
}

const authority = signingKeyPairFromSeed(countingSeed(0x01))
const otherAuthority = signingKeyPairFromSeed(countingSeed(0x81))
const ashaDevice = signingKeyPairFromSeed(countingSeed(0x21))
const raviDevice = signingKeyPairFromSeed(countingSeed(0x41))
const ashaMls = signingKeyPairFromSeed(countingSeed(0x61))

/** Uint8Array → hex, everything else as is: the JSON form of a vector. */
export function toJson (value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => v instanceof Uint8Array ? toHex(v) : v))
}

function keys (): object {
  return {
    description: 'Ed25519 key pairs (seed = privateKey) used by every other vector, and the signature domain tags. A signature is Ed25519 over UTF-8(tag) || 0x00 || message.',
    keys: {
      authority: { privateKey: authority.privateKey, publicKey: authority.publicKey },
      otherAuthority: { privateKey: otherAuthority.privateKey, publicKey: otherAuthority.publicKey },
      ashaDevice: { privateKey: ashaDevice.privateKey, publicKey: ashaDevice.publicKey },
      raviDevice: { privateKey: raviDevice.privateKey, publicKey: raviDevice.publicKey },
      ashaMls: { privateKey: ashaMls.privateKey, publicKey: ashaMls.publicKey }
    },
    signatureDomains: SIGNATURE_DOMAINS
  }
}

function identity (): object {
  const certificateFields = {
    handle: 'asha.rao',
    displayName: 'Asha Rao',
    title: 'Under Secretary',
    department: 'mof.budget',
    devicePublicKey: ashaDevice.publicKey,
    mlsSignatureKey: ashaMls.publicKey,
    notBefore: NOW - 30 * DAY,
    notAfter: NOW + 335 * DAY,
    serial: 7
  }
  const certificate = issueCertificate(authority, certificateFields)
  const certificateOuter = DeviceCertificateCodec.decode(certificate.bytes)
  const trust = new TrustStore([
    { department: 'mof.budget', name: 'Ministry of Finance, Budget Division', publicKey: authority.publicKey },
    { department: 'moh', name: 'Ministry of Health', publicKey: otherAuthority.publicKey }
  ])
  const revocationInputs = { serial: 3, issuedAt: NOW, revokedDeviceKeys: [raviDevice.publicKey, otherAuthority.publicKey] }
  const revocationBytes = issueRevocationList(authority, revocationInputs.serial, revocationInputs.issuedAt, revocationInputs.revokedDeviceKeys)
  const revocationOuter = RevocationListCodec.decode(revocationBytes)
  const wipeOrderBytes = issueWipeOrder(authority, ashaDevice.publicKey, NOW)
  return {
    certificate: {
      description: 'DeviceCertificate issued by keys.authority; signature in domain "certificate" over body',
      inputs: { ...certificateFields, authorityPublicKey: authority.publicKey },
      body: certificateOuter.body,
      signature: certificateOuter.signature,
      bytes: certificate.bytes
    },
    trustBundle: {
      description: 'TrustBundle (unsigned)',
      inputs: { authorities: trust.authorities() },
      bytes: trust.encode()
    },
    revocationList: {
      description: 'RevocationList issued by keys.authority; signature in domain "revocation" over body',
      inputs: { ...revocationInputs, authorityPublicKey: authority.publicKey },
      body: revocationOuter.body,
      signature: revocationOuter.signature,
      bytes: revocationBytes
    },
    wipeOrder: {
      description: 'Wipe order by keys.authority for keys.ashaDevice: 1 || authority key || device key || issuedAt u64 BE || signature in domain "wipeOrder" over the first 73 bytes',
      inputs: { authorityPublicKey: authority.publicKey, deviceKey: ashaDevice.publicKey, issuedAt: NOW },
      bytes: wipeOrderBytes
    },
    wipeReport: {
      description: 'Report of that order by keys.ashaDevice: 1 || device key || SHA-256(order) || wipedAt u64 BE || signature in domain "wipeReport" over the first 73 bytes',
      inputs: { deviceKey: ashaDevice.publicKey, orderHash: wipeOrderHash(wipeOrderBytes), wipedAt: NOW + 60_000 },
      bytes: signWipeReport(ashaDevice, wipeOrderBytes, NOW + 60_000)
    },
    deviceVouch: {
      description: 'Issue 16, linked devices: keys.ashaDevice vouches for keys.raviDevice as another device of asha.rao: 1 || voucher key || linked device key || issuedAt u64 BE || handle length (1) || handle UTF-8 || signature in domain "deviceVouch" over everything before it',
      inputs: { voucherKey: ashaDevice.publicKey, linkedDeviceKey: raviDevice.publicKey, handle: 'asha.rao', issuedAt: NOW },
      bytes: signDeviceVouch(ashaDevice, { linkedDeviceKey: raviDevice.publicKey, handle: 'asha.rao', issuedAt: NOW })
    }
  }
}

function invite (): object {
  const secret = new Uint8Array([0x3c, 0x91, 0x07, 0xe2, 0x5a, 0xd4, 0x18, 0x6f, 0xb0, 0x2d])
  const inputs = {
    department: 'mof.budget',
    authorityPublicKey: authority.publicKey,
    handle: 'ravi.k',
    displayName: 'Ravi Kumar',
    title: 'Section Officer',
    expiresAt: NOW + 7 * DAY,
    nodeAddrs: ['/dns4/dak.mof.gov.example/tcp/443/wss', '/ip4/10.20.0.5/tcp/4001']
  }
  const made = createInvite({ ...inputs, randomBytes: () => secret })
  const linkBase = 'https://dak.mof.gov.example/'
  return {
    description: 'InviteTicket with a fixed secret; its typed code, QR payload, https link and the hash a node stores',
    inputs: { ...inputs, secret, linkBase },
    bytes: made.bytes,
    code: made.code,
    url: made.url,
    link: inviteLink(linkBase, made.bytes),
    secretHash: hashInviteSecret(secret)
  }
}

function envelope (): object {
  const inputs = { kind: EnvelopeKind.APPLICATION, topic: 'dak/c/6d0f3b2a9e41', timestamp: NOW, senderSeq: 42, payload: new Uint8Array(64).map((_, i) => i) }
  const sealed = sealEnvelope(ashaDevice, inputs)
  const outer = EnvelopeCodec.decode(sealed.bytes)
  return {
    description: 'Envelope sealed by keys.ashaDevice; signature in domain "envelope" over body; message id = SHA-256(bytes)',
    inputs: { ...inputs, sender: ashaDevice.publicKey },
    body: outer.body,
    signature: outer.signature,
    bytes: sealed.bytes,
    messageId: sealed.id
  }
}

function content (): object {
  const messageId = sealEnvelope(ashaDevice, { kind: EnvelopeKind.APPLICATION, topic: 'dak/c/6d0f3b2a9e41', timestamp: NOW, senderSeq: 42, payload: new Uint8Array(64).map((_, i) => i) }).id
  const clientId = new Uint8Array(16).map((_, i) => 0xc0 + i)
  const certificate = issueCertificate(authority, {
    handle: 'asha.rao', displayName: 'Asha Rao', title: 'Under Secretary', department: 'mof.budget', devicePublicKey: ashaDevice.publicKey,
    mlsSignatureKey: ashaMls.publicKey, notBefore: NOW - 30 * DAY, notAfter: NOW + 335 * DAY, serial: 7
  })
  const directiveText = 'Freeze all non-salary spending from 1 February.'
  const directive = signDirective(ashaDevice, certificate, directiveText, NOW, NOW + DAY)
  // ravi.k acknowledges it (issue 16): his certificate is issued here like asha's
  const raviCertificate = issueCertificate(authority, {
    handle: 'ravi.k', displayName: 'Ravi K', title: 'Section Officer', department: 'mof.budget', devicePublicKey: raviDevice.publicKey,
    mlsSignatureKey: ashaMls.publicKey, notBefore: NOW - 30 * DAY, notAfter: NOW + 335 * DAY, serial: 8
  })
  const ack = signDirectiveAck(raviDevice, raviCertificate, messageId, directive, NOW + 120_000)
  const samples: Record<string, Content> = {
    text: { kind: 'text', text: 'Budget figures by 5 pm, please.', clientId },
    textReply: { kind: 'text', text: 'बजट आंकड़े भेज दिए।', replyTo: messageId, clientId },
    // issue 11 part 4: precedence (field 31); a routine text is the 'text' bytes above, no field
    textFlash: { kind: 'text', text: 'Bridge on NH-44 closed: divert via Sector 4.', precedence: 'flash', clientId },
    receipt: { kind: 'receipt', type: 'read', messageIds: [messageId], at: NOW + 60_000, clientId },
    directive: { kind: 'directive', directive, clientId },
    edit: { kind: 'edit', target: messageId, text: 'بجٹ کے اعداد و شمار، نظر ثانی شدہ', clientId },
    delete: { kind: 'delete', target: messageId, clientId },
    directiveAck: { kind: 'directive-ack', ack, clientId }
  }
  const out: Record<string, unknown> = {}
  for (const [name, sample] of Object.entries(samples)) out[name] = { inputs: sample, bytes: encodeAppContent(sample) }
  return {
    description: 'AppContent of each kind. The directive is signed by keys.ashaDevice in domain "directive" over UTF-8(text) || issuedAt || deadline (8 bytes big-endian each); ' +
      'the acknowledgement by keys.raviDevice in domain "directiveAck" over directive id (envelope.messageId) || SHA-256(directiveSignedBytes || directiveSignature) || acknowledgedAt (8 bytes); ' +
      'evidence is the DirectiveEvidence file of the directive with that acknowledgement',
    ...out,
    directiveSignedBytes: directiveSignedBytes(directiveText, NOW, NOW + DAY),
    directiveSignature: directive.signature,
    directiveHash: directiveHash(directive),
    directiveAckSignedBytes: directiveAckSignedBytes(messageId, directiveHash(directive), NOW + 120_000),
    evidence: encodeEvidence({ directiveId: messageId, directive, acks: [ack] })
  }
}

function safety (): object {
  const asha = { devicePublicKey: ashaDevice.publicKey, handle: 'asha.rao' }
  const ravi = { devicePublicKey: raviDevice.publicKey, handle: 'ravi.k' }
  const party = (p: typeof asha): SafetyParty => ({ devicePublicKeys: [p.devicePublicKey], handle: p.handle })
  return {
    description: 'Safety number of asha.rao and ravi.k (the same on both sides) and the QR payload each device shows',
    inputs: { asha, ravi },
    digits: safetyNumber(party(asha), party(ravi)).digits,
    ashaQrPayload: safetyNumber(party(asha), party(ravi)).qrPayload,
    raviQrPayload: safetyNumber(party(ravi), party(asha)).qrPayload
  }
}

/** Every vector file, by name, in its JSON form. */
export function computeVectors (): Record<string, unknown> {
  return {
    'keys.json': toJson(keys()),
    'identity.json': toJson(identity()),
    'invite.json': toJson(invite()),
    'envelope.json': toJson(envelope()),
    'content.json': toJson(content()),
    'safety-number.json': toJson(safety())
  }
}
