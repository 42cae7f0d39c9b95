import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { concatBytes } from '../bytes.js'
import { DakError, InvalidArgumentError, InvalidSignatureError, MalformedInputError, TooLargeError } from '../errors.js'
import { signFor } from '../identity/keys.js'
import { NOW, seededKey } from '../identity/test-fixtures.js'
import { StoreReceipt, StoreReceiptBody } from '../wire/generated/envelope.js'
import { issueStoreReceipt, MAX_STORE_RECEIPT_BYTES, verifyStoreReceipt, type StoreReceiptFields } from './store-receipt.js'

const node = seededKey('store node')
const otherNode = seededKey('another store node')
const fields: StoreReceiptFields = { topic: 'dak/c/3f9a1c', messageId: new Uint8Array(32).fill(7), sequence: 12, storedAt: NOW }
const issued = issueStoreReceipt(node, fields)

describe('store receipts', () => {
  it('verify to what was issued, with and without an expected node', () => {
    expect(verifyStoreReceipt(issued.bytes)).toEqual(issued)
    expect(verifyStoreReceipt(issued.bytes, node.publicKey)).toMatchObject({ ...fields, nodePublicKey: node.publicKey })
  })

  it('are deterministic: re-issuing for the same stored envelope gives the same bytes', () => {
    expect(issueStoreReceipt(node, fields).bytes).toEqual(issued.bytes)
  })

  it('refuse a receipt from a node other than the one asked', () => {
    const other = issueStoreReceipt(otherNode, fields)
    expect(() => verifyStoreReceipt(other.bytes, node.publicKey)).toThrow(InvalidSignatureError)
  })

  it('refuse a node key claimed in the body but not the signer', () => {
    const body = StoreReceiptBody.encode({ nodePublicKey: node.publicKey, ...fields })
    const forged = StoreReceipt.encode({ body, signature: signFor('storeReceipt', otherNode.privateKey, body) })
    expect(() => verifyStoreReceipt(forged)).toThrow(InvalidSignatureError)
  })

  it('refuse a signature made for another purpose over the same body', () => {
    const body = StoreReceiptBody.encode({ nodePublicKey: node.publicKey, ...fields })
    const replayed = StoreReceipt.encode({ body, signature: signFor('envelope', node.privateKey, body) })
    expect(() => verifyStoreReceipt(replayed)).toThrow(InvalidSignatureError)
  })

  it('refuse trailing bytes and oversized input', () => {
    expect(() => verifyStoreReceipt(concatBytes(issued.bytes, new Uint8Array([0x20, 0x01])))).toThrow(MalformedInputError)
    expect(() => verifyStoreReceipt(new Uint8Array(MAX_STORE_RECEIPT_BYTES + 1))).toThrow(TooLargeError)
  })

  it('refuse a signed body with impossible fields', () => {
    for (const bad of [{ ...fields, sequence: 0 }, { ...fields, topic: '' }, { ...fields, messageId: new Uint8Array(31) }]) {
      const body = StoreReceiptBody.encode({ nodePublicKey: node.publicKey, ...bad })
      const bytes = StoreReceipt.encode({ body, signature: signFor('storeReceipt', node.privateKey, body) })
      expect(() => verifyStoreReceipt(bytes)).toThrow(MalformedInputError)
    }
  })

  it('will not issue a receipt that could never verify', () => {
    expect(() => issueStoreReceipt(node, { ...fields, sequence: -1 })).toThrow(InvalidArgumentError)
    expect(() => issueStoreReceipt(node, { ...fields, topic: 'x'.repeat(129) })).toThrow(InvalidArgumentError)
    expect(() => issueStoreReceipt(node, { ...fields, storedAt: 1.5 })).toThrow(InvalidArgumentError)
  })

  it('turn every single-byte change into a typed error', () => {
    for (let i = 0; i < issued.bytes.length; i++) {
      const mutated = issued.bytes.slice()
      mutated[i] = (mutated[i] ?? 0) ^ 0x01
      expect(() => verifyStoreReceipt(mutated)).toThrow(DakError)
    }
  })

  it('turn random bytes into a typed error and nothing else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
      try {
        verifyStoreReceipt(bytes)
      } catch (err) {
        return err instanceof DakError
      }
      return false
    }), { numRuns: 2000 })
  })
})
