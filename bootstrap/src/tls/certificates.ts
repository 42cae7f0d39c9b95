// @peculiar/x509 builds its extension registry with tsyringe, which needs the Reflect metadata API first
import 'reflect-metadata'
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto'
import { isIP } from 'node:net'
import { AsnConvert } from '@peculiar/asn1-schema'
import { GeneralName, GeneralSubtree, GeneralSubtrees, id_ce_nameConstraints, NameConstraints } from '@peculiar/asn1-x509'
import * as x509 from '@peculiar/x509'
import { TlsConfigError } from './errors.js'

/**
 * The department's own certificate authority and the node's server
 * certificate, for departments without a public CA. Built with
 * @peculiar/x509 (the library libp2p's WebRTC transport already uses for its
 * certificates) over WebCrypto ECDSA P-256: hand-written ASN.1 is where
 * certificate bugs live, and node:crypto reads X.509 but cannot issue it.
 *
 * The CA is name-constrained to the node's names and addresses: officers
 * install it machine-wide, and an unconstrained CA key would let whoever
 * holds it impersonate any web site to those machines.
 */

const webcrypto = globalThis.crypto
x509.cryptoProvider.set(webcrypto)

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY_MS = 86_400_000
/** Ten years: the CA is installed by hand on every officer's machine, so it should outlive the hardware. */
export const CA_VALIDITY_DAYS = 3650
/** 90 days, renewed when under 30 remain: a leaked server key is useful for weeks, not years. */
export const SERVER_VALIDITY_DAYS = 90
export const RENEW_BEFORE_DAYS = 30

export interface PemPair {
  cert: string
  key: string
}

function randomSerial (): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16))
  bytes[0] = (bytes[0] as number) & 0x7f // a positive INTEGER
  return Buffer.from(bytes).toString('hex')
}

async function keyPem (key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY') + '\n'
}

async function generateKeys (): Promise<CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])
}

/** A DNS name permits itself and its subdomains; an address permits exactly itself. */
function permittedSubtree (name: string): GeneralSubtree {
  const ip = isIP(name)
  const base = ip === 0 ? new GeneralName({ dNSName: name }) : new GeneralName({ iPAddress: `${name}/${ip === 4 ? 32 : 128}` })
  return new GeneralSubtree({ base })
}

function nameConstraints (names: string[]): x509.Extension {
  const value = new NameConstraints({ permittedSubtrees: new GeneralSubtrees(names.map(permittedSubtree)) })
  return new x509.Extension(id_ce_nameConstraints, true, AsnConvert.serialize(value))
}

function subjectAltNames (names: string[]): x509.SubjectAlternativeNameExtension {
  return new x509.SubjectAlternativeNameExtension(names.map(n => isIP(n) === 0 ? { type: 'dns' as const, value: n } : { type: 'ip' as const, value: n }))
}

/** CN values must not carry '=' or ',' unescaped; department names are free text. */
function commonName (text: string): string {
  return `CN=${text.replace(/[\\,+="<>;#]/g, c => `\\${c}`)}`
}

/** A new department CA, allowed to certify only `names` (DNS names and IP addresses). */
export async function createDepartmentCa (departmentName: string, names: string[], now = Date.now()): Promise<PemPair> {
  if (names.length === 0) throw new TlsConfigError('a department CA needs at least one name or address to certify')
  const keys = await generateKeys()
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: commonName(`Dak CA for ${departmentName}`),
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + CA_VALIDITY_DAYS * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      nameConstraints(names)
    ]
  })
  return { cert: cert.toString('pem') + '\n', key: await keyPem(keys.privateKey) }
}

/** A server certificate for `names`, signed by the department CA, valid SERVER_VALIDITY_DAYS from `now`. */
export async function issueServerCertificate (ca: PemPair, names: string[], now = Date.now()): Promise<PemPair> {
  if (names.length === 0) throw new TlsConfigError('a server certificate needs at least one name or address')
  const caCert = new x509.X509Certificate(ca.cert)
  const caKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(ca.key), ALGORITHM, false, ['sign'])
  const keys = await generateKeys()
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: commonName(names[0] as string),
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + SERVER_VALIDITY_DAYS * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      subjectAltNames(names),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)
    ]
  })
  return { cert: cert.toString('pem') + '\n', key: await keyPem(keys.privateKey) }
}

/** What a certificate file says, read with node:crypto; a TlsConfigError when it is not a certificate. */
export function describeCertificate (pem: string, where = 'certificate'): { validTo: number, names: string[], sha256: string, serial: string } {
  let cert: X509Certificate
  try {
    cert = new X509Certificate(pem)
  } catch (err) {
    throw new TlsConfigError(`${where} is not a PEM certificate: ${(err as Error).message}`)
  }
  const names = (cert.subjectAltName ?? '').split(', ').filter(Boolean).map(entry => entry.replace(/^(DNS|IP Address):/, ''))
  return { validTo: Date.parse(cert.validTo), names, sha256: cert.fingerprint256, serial: cert.serialNumber }
}

/** The SHA-256 fingerprint officers compare before trusting the CA (AA:BB:… as browsers show it). */
export function fingerprint (pem: string): string {
  return new X509Certificate(pem).fingerprint256
}

/** A TlsConfigError unless `key` is the private key of `cert`: a mismatched pair fails every handshake. */
export function checkPair (pair: PemPair, where: string): void {
  let matches: boolean
  try {
    matches = new X509Certificate(pair.cert).checkPrivateKey(createPrivateKey(pair.key))
  } catch (err) {
    throw new TlsConfigError(`${where}: ${(err as Error).message}`)
  }
  if (!matches) throw new TlsConfigError(`${where}: the key is not the certificate's`)
}

/** Hex SHA-256 of the CA's DER: the same value as `fingerprint` without colons, for machine use. */
export function fingerprintHex (pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex')
}
