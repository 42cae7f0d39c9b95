import { InvalidArgumentError } from '@dak/protocol'
import { bytesField, decodeRecord, encodeRecord } from './codec.js'
import { keyPart } from './keys.js'
import type { RepositoryContext, Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * This device's MLS key packages, public and private halves, by reference
 * (hex SHA-256 of the public bytes). A Welcome names the one it consumed; that
 * one is deleted in the same commit as the group state it produced, so a
 * one-time key package can never be used twice.
 */
export interface StoredKeyPackage {
  ref: string
  publicBytes: Uint8Array
  privateBytes: Uint8Array
  createdAt: number
  /** Kept at the department node for when the stock runs out; not deleted on use. */
  lastResort: boolean
  /**
   * The department node (peer id) it was uploaded to. Absent for packages
   * handed to a LAN peer directly, and for those of versions before this field.
   */
  uploadedTo?: string
}

export type KeyPackageOp =
  | { type: 'key-package-put', keyPackage: StoredKeyPackage }
  | { type: 'key-package-delete', ref: string }

export interface KeyPackageRepository {
  list: () => Promise<StoredKeyPackage[]>
  put: (keyPackage: StoredKeyPackage) => Promise<void>
  delete: (ref: string) => Promise<void>
}

export function applyKeyPackageOp (tx: WriteTransaction, sections: Sections, op: KeyPackageOp): void {
  if (op.type === 'key-package-delete') {
    tx.del(sections['key-packages'], keyPart('key package ref', op.ref))
    return
  }
  const kp = op.keyPackage
  if (kp.publicBytes.length === 0 || kp.privateBytes.length === 0) throw new InvalidArgumentError('a key package needs its public and private bytes')
  tx.put(sections['key-packages'], keyPart('key package ref', kp.ref), encodeRecord({
    ref: kp.ref, publicBytes: bytesField(kp.publicBytes), privateBytes: bytesField(kp.privateBytes), createdAt: kp.createdAt, lastResort: kp.lastResort,
    ...(kp.uploadedTo !== undefined ? { uploadedTo: kp.uploadedTo } : {})
  }))
}

export function createKeyPackageRepository ({ sections, transact }: RepositoryContext): KeyPackageRepository {
  const commit = async (op: KeyPackageOp): Promise<void> => { await transact(async (tx) => { applyKeyPackageOp(tx, sections, op) }) }
  return {
    async list () {
      return (await sections['key-packages'].entries({})).map(([ref, value]) => decodeRecord(value, `key-packages/${ref}`, (r) => {
        const uploadedTo = r.optionalString('uploadedTo')
        return {
          ref: r.string('ref'),
          publicBytes: r.bytes('publicBytes'),
          privateBytes: r.bytes('privateBytes'),
          createdAt: r.count('createdAt'),
          lastResort: r.boolean('lastResort'),
          ...(uploadedTo !== undefined ? { uploadedTo } : {})
        }
      }))
    },
    put: async (keyPackage) => { await commit({ type: 'key-package-put', keyPackage }) },
    delete: async (ref) => { await commit({ type: 'key-package-delete', ref }) }
  }
}
