import fc from 'fast-check'
import { sha256 } from '@noble/hashes/sha2.js'
import {
  ciphersuites, clientStateDecoder, clientStateEncoder, createApplicationMessage, createCommit, createGroup, decode, defaultCapabilities,
  defaultCredentialTypes, defaultCryptoProvider, defaultProposalTypes, encode, generateKeyPackage, joinGroup, mlsExporter, processMessage,
  unsafeTestingAuthenticationService, type CiphersuiteImpl, type ClientState, type KeyPackage, type MlsContext, type MlsFramedMessage,
  type PrivateKeyPackage, type Rng
} from 'ts-mls'
import { describe, expect, it } from 'vitest'
import { concatBytes, toHex, utf8 } from '../bytes.js'
import { decodeFramed, encodeMlsMessage } from './framing.js'
import { dakCryptoProvider } from './provider.js'
import { clientConfig, SUPPORTED_SUITES } from './suite.js'

/**
 * A whole group over Dak's provider on one side and ts-mls's default provider on the
 * other: create, add, encrypt, decrypt, a commit with a path, in both directions. Where
 * an operation draws its randomness from the suite's `rng` alone, both providers are
 * given the same stream and must produce the same bytes; HPKE draws its own, so Welcomes
 * and update paths are compared by what the other side makes of them.
 */

/** A deterministic rng: SHA-256 in counter mode over a seed. Two copies give the same stream. */
function fixedRng (seed: string): Rng {
  let counter = 0
  return {
    randomBytes (n: number): Uint8Array {
      const out = new Uint8Array(n)
      for (let offset = 0; offset < n; offset += 32) {
        out.set(sha256(utf8(`${seed}/${counter++}`)).subarray(0, n - offset), offset)
      }
      return out
    }
  }
}

function context (cipherSuite: CiphersuiteImpl): MlsContext {
  return { cipherSuite, authService: unsafeTestingAuthenticationService, clientConfig: clientConfig() }
}

/** A deep copy through ts-mls's own encoding: processing zeroes spent secrets of its input in place. */
function copy (state: ClientState): ClientState {
  const decoded = decode(clientStateDecoder, encode(clientStateEncoder, state))
  if (decoded == null) throw new Error('group state did not decode')
  return decoded
}

const stateHex = (state: ClientState): string => toHex(encode(clientStateEncoder, state))
const messageHex = (message: MlsFramedMessage): string => toHex(encodeMlsMessage(message))

async function exporter (state: ClientState, cs: CiphersuiteImpl): Promise<string> {
  return toHex(await mlsExporter(state.keySchedule.exporterSecret, 'dak provider test', new Uint8Array(0), 32, cs))
}

async function member (name: string, cs: CiphersuiteImpl): Promise<{ keyPackage: KeyPackage, privateKeys: PrivateKeyPackage }> {
  const { publicPackage, privatePackage } = await generateKeyPackage({
    credential: { credentialType: defaultCredentialTypes.basic, identity: utf8(name) },
    capabilities: defaultCapabilities(),
    cipherSuite: cs
  })
  return { keyPackage: publicPackage, privateKeys: privatePackage }
}

async function decrypt (state: ClientState, message: MlsFramedMessage, cs: CiphersuiteImpl): Promise<{ plaintext: Uint8Array, state: ClientState }> {
  const result = await processMessage({ context: context(cs), state, message })
  if (result.kind !== 'applicationMessage') throw new Error(`expected an application message, got ${result.kind}`)
  return { plaintext: result.message, state: result.newState }
}

const sides = [
  { label: 'Alice on Dak\'s provider, Bob on the default', alice: 'dak', bob: 'reference' },
  { label: 'Alice on the default, Bob on Dak\'s provider', alice: 'reference', bob: 'dak' }
] as const

describe.each(SUPPORTED_SUITES)('a group across providers, %s', suite => {
  it.each(sides)('$label: same states and messages from the same randomness; each side reads the other', async ({ alice: aliceSide, bob: bobSide }) => {
    const impls = {
      dak: await dakCryptoProvider.getCiphersuiteImpl(ciphersuites[suite]),
      reference: await defaultCryptoProvider.getCiphersuiteImpl(ciphersuites[suite])
    }
    /** Both providers, each with its own copy of the same rng stream. */
    const seeded = (seed: string): { dak: CiphersuiteImpl, reference: CiphersuiteImpl } => ({
      dak: { ...impls.dak, rng: fixedRng(seed) },
      reference: { ...impls.reference, rng: fixedRng(seed) }
    })
    const aliceCs = impls[aliceSide]
    const bobCs = impls[bobSide]
    const alice = await member('alice', aliceCs)
    const bob = await member('bob', bobCs)

    // Create: the epoch secret comes from rng, so the two providers make the same group.
    const created = seeded('create')
    const groupId = utf8(`provider test ${suite} ${aliceSide}`)
    const [createdByDak, createdByReference] = await Promise.all([created.dak, created.reference].map(async cs =>
      await createGroup({ context: context(cs), groupId, keyPackage: alice.keyPackage, privateKeyPackage: alice.privateKeys })))
    expect(stateHex(createdByDak!)).toBe(stateHex(createdByReference!))
    let aliceState = createdByDak!

    // Add Bob: the commit (no path) and Alice's next state are the same bytes; the Welcome's HPKE draws its own randomness.
    const added = seeded('add')
    const add = { proposalType: defaultProposalTypes.add, add: { keyPackage: bob.keyPackage } }
    const commits = await Promise.all([added.dak, added.reference].map(async cs =>
      await createCommit({ context: context(cs), state: copy(aliceState), extraProposals: [add], ratchetTreeExtension: true })))
    const [byDak, byReference] = commits
    expect(messageHex(byDak!.commit)).toBe(messageHex(byReference!.commit))
    expect(stateHex(byDak!.newState)).toBe(stateHex(byReference!.newState))
    const addCommit = aliceSide === 'dak' ? byDak! : byReference!
    aliceState = addCommit.newState
    if (addCommit.welcome == null) throw new Error('adding Bob made no Welcome')
    let bobState = await joinGroup({ context: context(bobCs), welcome: addCommit.welcome.welcome, keyPackage: bob.keyPackage, privateKeys: bob.privateKeys })
    expect(await exporter(bobState, bobCs)).toBe(await exporter(aliceState, aliceCs))

    const exchange = async (): Promise<void> => {
      await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.boolean(), async (plaintext, fromAlice) => {
        const [senderState, senderCs, receiverState, receiverCs] = fromAlice ? [aliceState, aliceCs, bobState, bobCs] : [bobState, bobCs, aliceState, aliceCs]
        // The same message from both providers (the reuse guard is the only randomness).
        const sent = seeded(`message ${toHex(plaintext)}`)
        const [ours, theirs] = await Promise.all([sent.dak, sent.reference].map(async cs =>
          await createApplicationMessage({ context: context(cs), state: copy(senderState), message: plaintext })))
        expect(messageHex(ours!.message)).toBe(messageHex(theirs!.message))
        expect(stateHex(ours!.newState)).toBe(stateHex(theirs!.newState))
        // What the sender's own provider sends, the other side's provider reads.
        const mine = senderCs === impls.dak ? ours! : theirs!
        const read = await decrypt(receiverState, mine.message, receiverCs)
        expect(toHex(read.plaintext)).toBe(toHex(plaintext))
        if (fromAlice) {
          aliceState = mine.newState
          bobState = read.state
        } else {
          bobState = mine.newState
          aliceState = read.state
        }
      }), { numRuns: 25 })
    }
    await exchange()

    // Bob commits with a path (an empty commit, as a self-update): HPKE and the key schedule across providers.
    const update = await createCommit({ context: context(bobCs), state: bobState })
    bobState = update.newState
    const processed = await processMessage({ context: context(aliceCs), state: aliceState, message: update.commit })
    if (processed.kind !== 'newState') throw new Error('the commit was not applied')
    aliceState = processed.newState
    expect(aliceState.groupContext.epoch).toBe(2n)
    expect(await exporter(aliceState, aliceCs)).toBe(await exporter(bobState, bobCs))
    await exchange()

    // A message changed on the way is refused by either provider.
    const last = await createApplicationMessage({ context: context(aliceCs), state: aliceState, message: utf8('last') })
    const bytes = encodeMlsMessage(last.message)
    const tampered = concatBytes(bytes.subarray(0, bytes.length - 1), new Uint8Array([(bytes[bytes.length - 1] ?? 0) ^ 1]))
    expect(toHex(tampered)).not.toBe(toHex(bytes))
    await expect(decrypt(bobState, decodeFramed(tampered), bobCs)).rejects.toThrow()
  }, 120_000)
})
