import { ciphersuites, defaultKeyPackageEqualityConfig, defaultLifetimeConfig, defaultPaddingConfig, getCiphersuiteImpl, type CiphersuiteImpl, type CiphersuiteName, type ClientConfig, type KeyRetentionConfig } from 'ts-mls'
import { CLASSICAL_CIPHER_SUITE, DEFAULT_CIPHER_SUITE } from '../constants.js'
import { InvalidArgumentError } from '../errors.js'
import { dakCryptoProvider } from './provider.js'
import { DAK_KEY_RETENTION } from './limits.js'

/**
 * Cipher suites Dak accepts. The PQ hybrid is the default; the classical suite is kept
 * working because X-Wing's code point is in the private range and may move.
 */
export const SUPPORTED_SUITES = [DEFAULT_CIPHER_SUITE, CLASSICAL_CIPHER_SUITE] as const
export type SuiteName = typeof SUPPORTED_SUITES[number]

export interface Suite {
  name: SuiteName
  /** MLS code point, as written in key packages and group contexts. */
  id: number
  impl: CiphersuiteImpl
}

const cache = new Map<SuiteName, Promise<Suite>>()

function isSupported (name: string): name is SuiteName {
  return (SUPPORTED_SUITES as readonly string[]).includes(name)
}

/**
 * Load (once) the implementation of a suite, from Dak's provider (provider.ts): ts-mls's
 * @noble provider still runs HKDF and Ed25519 through WebCrypto, one thread-pool round
 * trip per call, and those waits bounded catch-up speed; Dak's does them synchronously.
 */
export async function loadSuite (name: string = DEFAULT_CIPHER_SUITE): Promise<Suite> {
  if (!isSupported(name)) throw new InvalidArgumentError(`cipher suite ${name} is not one Dak uses`)
  let suite = cache.get(name)
  if (suite == null) {
    const id = ciphersuites[name as CiphersuiteName]
    suite = getCiphersuiteImpl(name, dakCryptoProvider).then(impl => ({ name, id, impl }))
    // A failed load must not poison the cache for the next caller.
    suite.catch(() => cache.delete(name))
    cache.set(name, suite)
  }
  return await suite
}

/** The suite of an MLS code point found in a key package, welcome or stored state. */
export async function suiteForId (id: number): Promise<Suite> {
  const name = SUPPORTED_SUITES.find(n => ciphersuites[n as CiphersuiteName] === id)
  if (name == null) throw new InvalidArgumentError(`cipher suite 0x${id.toString(16)} is not one Dak uses`)
  return await loadSuite(name)
}

/**
 * ts-mls client configuration for Dak: the retention windows of limits.ts, and key
 * package lifetimes left to the certificate check (which uses the injected clock; ts-mls
 * would read Date.now()).
 */
export function clientConfig (retention: KeyRetentionConfig = DAK_KEY_RETENTION): ClientConfig {
  return {
    keyRetentionConfig: retention,
    lifetimeConfig: { ...defaultLifetimeConfig, validateLifetimeOnReceive: false },
    keyPackageEqualityConfig: defaultKeyPackageEqualityConfig,
    paddingConfig: defaultPaddingConfig
  }
}
