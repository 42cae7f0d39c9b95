import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InvalidArgumentError, InvalidInviteError, toHex } from '@dak/protocol'
import { NOW, openTempDb, STORE_BACKENDS, stopTestEngine, type TempDb } from '../store/test-helpers.js'
import type { Db } from '../store/level.js'
import { InviteAlreadyUsedError, InviteExpiredError, UnknownInviteError } from './errors.js'
import { InviteRegistry, type InviteRecord } from './invite-registry.js'

/** The registry's contract, on the embedded engine and on the shared one (docs/scaled.md). */
describe.each(STORE_BACKENDS)('on %s', (backend) => {
  afterAll(stopTestEngine)


  const HOUR = 3_600_000
  const asha: InviteRecord = { handle: 'asha.rao', displayName: 'Asha Rao', title: 'Under Secretary', expiresAt: NOW + 72 * HOUR }

  let temp: TempDb<Db>
  beforeEach(async () => { temp = await openTempDb(backend) })
  afterEach(async () => { await temp.cleanup() })

  describe('InviteRegistry', () => {
    it('redeems an invite exactly once, to the record it was made for', async () => {
      const invites = new InviteRegistry({ db: temp.db })
      const secret = await invites.create(asha)
      expect(secret).toHaveLength(10)
      expect(await invites.redeem(secret, NOW)).toEqual(asha)
      await expect(invites.redeem(secret, NOW + 1)).rejects.toThrow(InviteAlreadyUsedError)
    })

    it('stores no secret, only its hash', async () => {
      const invites = new InviteRegistry({ db: temp.db })
      const secret = await invites.create(asha)
      const everything = await temp.everything()
      const hex = toHex(secret)
      for (const [key, value] of everything) {
        expect(toHex(key)).not.toContain(hex)
        expect(toHex(value)).not.toContain(hex)
      }
      expect(everything).toHaveLength(1)
    })

    it('tells unknown, malformed, expired and used invites apart, all as invalid invites', async () => {
      const invites = new InviteRegistry({ db: temp.db })
      const secret = await invites.create(asha)
      await expect(invites.redeem(new Uint8Array(10).fill(9), NOW)).rejects.toThrow(UnknownInviteError)
      await expect(invites.redeem(new Uint8Array(9), NOW)).rejects.toThrow(InvalidInviteError)
      await expect(invites.redeem(secret, asha.expiresAt)).rejects.toThrow(InviteExpiredError)
      await invites.redeem(secret, NOW)
      const used = await invites.redeem(secret, NOW).catch((err: unknown) => err)
      expect(used).toBeInstanceOf(InviteAlreadyUsedError)
      expect(used).toBeInstanceOf(InvalidInviteError)
    })

    it('lets exactly one of many concurrent redeems succeed', async () => {
      const invites = new InviteRegistry({ db: temp.db })
      const secret = await invites.create(asha)
      const results = await Promise.allSettled(Array.from({ length: 10 }, async () => await invites.redeem(secret, NOW)))
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1)
      expect(results.filter(r => r.status === 'rejected' && r.reason instanceof InviteAlreadyUsedError)).toHaveLength(9)
    })

    it('leaves the invite unused when the redemption effect fails, and writes the effect with the used mark', async () => {
      const invites = new InviteRegistry({ db: temp.db })
      const effects = temp.db.sublevel<string>('effects', { valueEncoding: 'utf8' })
      const secret = await invites.create(asha)
      await expect(invites.redeem(secret, NOW, () => { throw new InvalidArgumentError('bad request') })).rejects.toThrow(InvalidArgumentError)
      await invites.redeem(secret, NOW, (record) => [{ type: 'put', sublevel: effects, key: record.handle, value: 'enrolled' }])
      expect(await effects.get('asha.rao')).toBe('enrolled')
    })

    it('remembers a used invite across a restart', async () => {
      const secret = await new InviteRegistry({ db: temp.db }).create(asha)
      await new InviteRegistry({ db: temp.db }).redeem(secret, NOW)
      await temp.reopen()
      await expect(new InviteRegistry({ db: temp.db }).redeem(secret, NOW)).rejects.toThrow(InviteAlreadyUsedError)
    })

    it('refuses to make an invite for a bad handle or label, and purges expired ones', async () => {
      const invites = new InviteRegistry({ db: temp.db })
      await expect(invites.create({ ...asha, handle: 'Asha Rao' })).rejects.toThrow(InvalidArgumentError)
      await expect(invites.create({ ...asha, title: 'x\u202e' })).rejects.toThrow(InvalidArgumentError)
      await expect(invites.create({ ...asha, expiresAt: 0 })).rejects.toThrow(InvalidArgumentError)
      const short = await invites.create({ ...asha, expiresAt: NOW + HOUR })
      const long = await invites.create(asha)
      expect(await invites.purgeExpired(NOW + 2 * HOUR)).toBe(1)
      await expect(invites.redeem(short, NOW)).rejects.toThrow(UnknownInviteError)
      expect(await invites.redeem(long, NOW)).toEqual(asha)
    })
  })
})
