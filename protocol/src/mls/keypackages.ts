import {
  ciphersuites, defaultCredentialTypes, encode, generateKeyPackageWithKey, keyPackageEncoder, makeKeyPackageRef, privateKeyPackageDecoder,
  privateKeyPackageEncoder, protocolVersions, wireformats, type Capabilities, type KeyPackage, type PrivateKeyPackage
} from 'ts-mls'
import { bytesEqual, concatBytes, utf8 } from '../bytes.js'
import { decodeCertificate, type Certificate, type VerifyContext } from '../identity/certificate.js'
import { InvalidArgumentError, InvalidSignatureError, MalformedInputError } from '../errors.js'
import { certificateCredential, verifyMemberCredential, type MlsSignatureKeyPair } from './credentials.js'
import { mlsCall } from './error-map.js'
import { decodeExact, decodeMlsMessage, encodeMlsMessage } from './framing.js'
import { GROUP_POLICY_EXTENSION_TYPE, MAX_PRIVATE_KEY_PACKAGE_BYTES } from './limits.js'
import { loadSuite, suiteForId, SUPPORTED_SUITES, type Suite } from './suite.js'

/** What a device keeps for each key package in its stock at the department node. */
export interface KeyPackageBundle {
  /** Encoded MLSMessage(KeyPackage): published, handed to whoever adds this device. */
  publicBytes: Uint8Array
  /** Encoded private keys (init, HPKE leaf, signature): never leave the device. */
  privateBytes: Uint8Array
}

/** What a Dak device supports: both Dak suites, basic (certificate) credentials, the policy extension. No GREASE: it draws Math.random. */
function dakCapabilities (): Capabilities {
  return {
    versions: [protocolVersions.mls10],
    ciphersuites: SUPPORTED_SUITES.map(name => ciphersuites[name]),
    extensions: [GROUP_POLICY_EXTENSION_TYPE],
    proposals: [],
    credentials: [defaultCredentialTypes.basic]
  }
}

/**
 * Key package lifetime: unbounded, because the certificate inside bounds it, checked with
 * the caller's clock (ts-mls would compare a lifetime with Date.now()).
 */
const UNBOUNDED_LIFETIME = { notBefore: 0n, notAfter: 0xffff_ffff_ffff_ffffn }

export interface CreateKeyPackageOptions {
  /** This device's certificate bytes; its mlsSignatureKey must be `signatureKeyPair.publicKey`. */
  certificate: Uint8Array
  signatureKeyPair: MlsSignatureKeyPair
  suite?: Suite
}

export async function createKeyPackage (options: CreateKeyPackageOptions): Promise<KeyPackageBundle> {
  const suite = options.suite ?? await loadSuite()
  const { certificate } = decodeCertificate(options.certificate)
  if (!bytesEqual(certificate.mlsSignatureKey, options.signatureKeyPair.publicKey)) {
    throw new InvalidArgumentError('the certificate does not certify this MLS signature key')
  }
  const { publicPackage, privatePackage } = await mlsCall('create key package', async () => await generateKeyPackageWithKey({
    credential: certificateCredential(options.certificate),
    capabilities: dakCapabilities(),
    lifetime: UNBOUNDED_LIFETIME,
    signatureKeyPair: { signKey: options.signatureKeyPair.privateKey, publicKey: options.signatureKeyPair.publicKey },
    cipherSuite: suite.impl
  }))
  return {
    publicBytes: encodeMlsMessage({ version: protocolVersions.mls10, wireformat: wireformats.mls_key_package, keyPackage: publicPackage }),
    privateBytes: encode(privateKeyPackageEncoder, privatePackage)
  }
}

export interface VerifiedKeyPackage {
  keyPackage: KeyPackage
  certificate: Certificate
  suite: Suite
  /** KeyPackageRef: how a Welcome names the key package it is for. */
  ref: Uint8Array
}

/** RFC 9420 variable-length integer (§2.1.2), for rebuilding SignWithLabel input. */
function varint (n: number): Uint8Array {
  if (n < 0x40) return new Uint8Array([n])
  if (n < 0x4000) return new Uint8Array([0x40 | (n >> 8), n & 0xff])
  return new Uint8Array([0x80 | (n >>> 24), (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff])
}

/** ts-mls does not export its key package signature check, so it is rebuilt here (VerifyWithLabel "KeyPackageTBS"). */
async function checkKeyPackageSignature (keyPackage: KeyPackage, suite: Suite): Promise<void> {
  const withEmptySignature = encode(keyPackageEncoder, { ...keyPackage, signature: new Uint8Array(0) })
  const tbs = withEmptySignature.subarray(0, withEmptySignature.length - 1) // drop the empty signature's length byte
  const label = utf8('MLS 1.0 KeyPackageTBS')
  const signContent = concatBytes(varint(label.length), label, varint(tbs.length), tbs)
  const ok = await suite.impl.signature.verify(keyPackage.leafNode.signaturePublicKey, signContent, keyPackage.signature).catch(() => false)
  if (!ok) throw new InvalidSignatureError('key package signature does not verify')
}

/**
 * Decode and judge a key package: a Dak suite, a certificate that verifies now and
 * certifies the signing key, a valid signature, and the Dak policy extension supported.
 * Directories call this before storing; proposeCommit before adding.
 */
export async function verifyKeyPackage (bytes: Uint8Array, context: VerifyContext): Promise<VerifiedKeyPackage> {
  const message = decodeMlsMessage(bytes, 'key package')
  if (message.wireformat !== wireformats.mls_key_package) throw new MalformedInputError('MLS message is not a key package')
  const keyPackage = message.keyPackage
  const suite = await suiteForId(keyPackage.cipherSuite).catch(() => {
    throw new MalformedInputError(`key package uses cipher suite ${keyPackage.cipherSuite}, not one Dak uses`)
  })
  const certificate = verifyMemberCredential(keyPackage.leafNode.credential, keyPackage.leafNode.signaturePublicKey, context)
  await checkKeyPackageSignature(keyPackage, suite)
  if (!keyPackage.leafNode.capabilities.extensions.includes(GROUP_POLICY_EXTENSION_TYPE)) {
    throw new MalformedInputError('key package does not support the Dak group policy extension')
  }
  if (bytesEqual(keyPackage.initKey, keyPackage.leafNode.hpkePublicKey)) throw new MalformedInputError('key package reuses its init key as leaf key')
  const ref = await mlsCall('key package ref', async () => await makeKeyPackageRef(keyPackage, suite.impl.hash))
  return { keyPackage, certificate, suite, ref }
}

/** The public and private halves of a stored bundle, decoded (for joining). */
export function openKeyPackageBundle (bundle: KeyPackageBundle): { keyPackage: KeyPackage, privatePackage: PrivateKeyPackage } {
  const message = decodeMlsMessage(bundle.publicBytes, 'own key package')
  if (message.wireformat !== wireformats.mls_key_package) throw new MalformedInputError('own key package is not a key package')
  const privatePackage = decodeExact(privateKeyPackageDecoder, bundle.privateBytes, MAX_PRIVATE_KEY_PACKAGE_BYTES, 'private key package')
  return { keyPackage: message.keyPackage, privatePackage }
}
