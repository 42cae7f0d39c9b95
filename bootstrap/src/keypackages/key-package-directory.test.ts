import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InvalidArgumentError, toHex } from '@dak/protocol'
import { sha256 } from '@noble/hashes/sha2.js'
import { QuotaExceededError } from '../store/errors.js'
import { openTempDb, STORE_BACKENDS, stopTestEngine, seededKey, type TempDb } from '../store/test-helpers.js'
import type { Db } from '../store/level.js'
import { KeyPackageDirectory, MAX_KEY_PACKAGE_BYTES, NoKeyPackageError } from './key-package-directory.js'

/** The registry's contract, on the embedded engine and on the shared one (docs/scaled.md). */
describe.each(STORE_BACKENDS)('on %s', (backend) => {
  afterAll(stopTestEngine)


  const phone = seededKey('asha phone').publicKey
  const laptop = seededKey('asha laptop').publicKey
  const other = seededKey('ravi phone').publicKey

  function packages (label: string, n: number): Uint8Array[] {
    return Array.from({ length: n }, (_, i) => new TextEncoder().encode(`${label} key package ${i}`))
  }
  const key = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

  let temp: TempDb<Db>
  beforeEach(async () => { temp = await openTempDb(backend) })
  afterEach(async () => { await temp.cleanup() })

  describe('KeyPackageDirectory', () => {
    it('hands out each uploaded package once, then the last-resort package, which it keeps', async () => {
      const directory = new KeyPackageDirectory({ db: temp.db })
      const uploaded = packages('phone', 3)
      const lastResort = new TextEncoder().encode('phone last resort')
      expect(await directory.upload(phone, 'asha.rao', uploaded, lastResort)).toBe(3)
      const taken = [await directory.take(phone), await directory.take(phone), await directory.take(phone)]
      expect(taken.map(t => key(t.keyPackage)).sort()).toEqual(uploaded.map(key).sort())
      expect(taken.every(t => !t.lastResort && t.deviceKey.every((b, i) => b === phone[i]))).toBe(true)
      expect(await directory.stock(phone)).toBe(0)
      for (let i = 0; i < 2; i++) expect(await directory.take(phone)).toEqual({ deviceKey: phone, keyPackage: lastResort, lastResort: true })
    })

    it('never gives the same package to two concurrent takers', async () => {
      const directory = new KeyPackageDirectory({ db: temp.db })
      await directory.upload(phone, 'asha.rao', packages('phone', 20))
      const results = await Promise.allSettled(Array.from({ length: 25 }, async () => await directory.take(phone)))
      const given = results.flatMap(r => r.status === 'fulfilled' ? [key(r.value.keyPackage)] : [])
      expect(given).toHaveLength(20)
      expect(new Set(given).size).toBe(20)
      expect(results.filter(r => r.status === 'rejected' && r.reason instanceof NoKeyPackageError)).toHaveLength(5)
    })

    it('remembers what it handed out across a restart', async () => {
      await new KeyPackageDirectory({ db: temp.db }).upload(phone, 'asha.rao', packages('phone', 2))
      const first = await new KeyPackageDirectory({ db: temp.db }).take(phone)
      await temp.reopen()
      const directory = new KeyPackageDirectory({ db: temp.db })
      const second = await directory.take(phone)
      expect(key(second.keyPackage)).not.toBe(key(first.keyPackage))
      await expect(directory.take(phone)).rejects.toThrow(NoKeyPackageError)
    })

    it('lists the references of the packages it still holds for a device, and says when the list is cut short', async () => {
      const directory = new KeyPackageDirectory({ db: temp.db })
      const uploaded = packages('phone', 4)
      await directory.upload(phone, 'asha.rao', uploaded)
      await directory.upload(laptop, 'asha.rao', packages('laptop', 2))
      const taken = await directory.take(phone)
      const refs = (list: Uint8Array[]): string[] => list.map(p => toHex(sha256(p))).sort()
      const held = await directory.held(phone, 10)
      expect(held.complete).toBe(true)
      expect(held.refs.map(toHex).sort()).toEqual(refs(uploaded.filter(p => key(p) !== key(taken.keyPackage))))
      const cut = await directory.held(phone, 2)
      expect(cut.refs).toHaveLength(2)
      expect(cut.complete).toBe(false)
      expect(await directory.held(other, 10)).toEqual({ refs: [], complete: true })
    })

    it('caps the stock per device, counting a retried upload once', async () => {
      const directory = new KeyPackageDirectory({ db: temp.db, maxPerDevice: 3 })
      expect(await directory.upload(phone, 'asha.rao', packages('phone', 2))).toBe(2)
      expect(await directory.upload(phone, 'asha.rao', packages('phone', 2))).toBe(2)
      await expect(directory.upload(phone, 'asha.rao', packages('more', 2))).rejects.toThrow(QuotaExceededError)
      expect(await directory.stock(phone)).toBe(2)
      expect(await directory.upload(other, 'ravi.k', packages('ravi', 3))).toBe(3)
    })

    it('gives one package per device of an officer, skipping devices with nothing left', async () => {
      const directory = new KeyPackageDirectory({ db: temp.db })
      await directory.upload(phone, 'asha.rao', packages('phone', 1))
      await directory.upload(laptop, 'asha.rao', packages('laptop', 1))
      await directory.upload(other, 'ravi.k', packages('ravi', 1))
      const both = await directory.takeForHandle('asha.rao')
      expect(both.map(t => key(t.keyPackage)).sort()).toEqual(['laptop key package 0', 'phone key package 0'])
      await directory.upload(laptop, 'asha.rao', packages('laptop again', 1))
      expect((await directory.takeForHandle('asha.rao')).map(t => key(t.keyPackage))).toEqual(['laptop again key package 0'])
      await expect(directory.takeForHandle('asha.rao')).rejects.toThrow(NoKeyPackageError)
      await expect(directory.takeForHandle('nobody')).rejects.toThrow(NoKeyPackageError)
    })

    it('forgets a removed device, last-resort package included', async () => {
      const directory = new KeyPackageDirectory({ db: temp.db })
      await directory.upload(phone, 'asha.rao', packages('phone', 2), new Uint8Array([1]))
      await directory.removeDevice(phone)
      await expect(directory.take(phone)).rejects.toThrow(NoKeyPackageError)
      await expect(directory.takeForHandle('asha.rao')).rejects.toThrow(NoKeyPackageError)
      expect(await directory.stock(phone)).toBe(0)
    })

    it('refuses bad keys, handles and packages with typed errors', async () => {
      const directory = new KeyPackageDirectory({ db: temp.db })
      await expect(directory.upload(new Uint8Array(31), 'asha.rao', packages('x', 1))).rejects.toThrow(InvalidArgumentError)
      await expect(directory.upload(phone, 'Not A Handle', packages('x', 1))).rejects.toThrow(InvalidArgumentError)
      await expect(directory.upload(phone, 'asha.rao', [new Uint8Array(0)])).rejects.toThrow(InvalidArgumentError)
      await expect(directory.upload(phone, 'asha.rao', [new Uint8Array(MAX_KEY_PACKAGE_BYTES + 1)])).rejects.toThrow(InvalidArgumentError)
      await expect(directory.upload(phone, 'asha.rao', packages('x', 257))).rejects.toThrow(InvalidArgumentError)
      expect(await directory.stock(phone)).toBe(0)
    })
  })
})
