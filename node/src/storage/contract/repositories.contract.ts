import { InvalidArgumentError, utf8 } from '@dak/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CorruptRecordError, RecordExistsError, RecordNotFoundError } from '../errors.js'
import { T0, bytes, closeHarness, conversation, incoming, openHarness, plant, type Harness, type MakeLocation } from './fixtures.js'

export function repositoryContract (make: MakeLocation): void {
  describe('identity, groups, conversations, cursors, peers, seen', () => {
    let h: Harness
    beforeEach(async () => { h = await openHarness(make) })
    afterEach(async () => { await closeHarness(h) })

    it('stores identity fields independently and refuses empty ones', async () => {
      expect(await h.store.identity.get()).toEqual({})
      await h.store.identity.put({ deviceSeed: bytes(1, 2) })
      await h.store.identity.put({ certificate: bytes(3) })
      expect(await h.store.identity.get()).toEqual({ deviceSeed: bytes(1, 2), certificate: bytes(3) })
      await expect(h.store.identity.put({ trustBundle: bytes() })).rejects.toThrow(InvalidArgumentError)
      expect(await h.store.identity.revocationList('cafe')).toBeUndefined()
    })

    it('keeps one certificate-log head per log key, beside the identity fields', async () => {
      expect(await h.store.identity.logHead('ab12')).toBeUndefined()
      await h.store.identity.putLogHead('ab12', bytes(1, 2))
      await h.store.identity.putLogHead('cd34', bytes(3))
      await h.store.identity.putLogHead('ab12', bytes(4, 5))
      expect(await h.store.identity.logHead('ab12')).toEqual(bytes(4, 5))
      expect(await h.store.identity.logHead('cd34')).toEqual(bytes(3))
      expect(await h.store.identity.get()).toEqual({})
      await expect(h.store.identity.putLogHead('ab12', bytes())).rejects.toThrow(InvalidArgumentError)
    })

    it('replaces and deletes group states', async () => {
      await h.store.groups.put('0a0b', bytes(1))
      await h.store.groups.put('0a0b', bytes(2))
      await h.store.groups.put('0c0d', bytes(3))
      expect(await h.store.groups.get('0a0b')).toEqual(bytes(2))
      await h.store.groups.delete('0c0d')
      expect(await h.store.groups.ids()).toEqual(['0a0b'])
      await expect(h.store.groups.put('0e0f', bytes())).rejects.toThrow(InvalidArgumentError)
    })

    it('keeps a split group state: the shared record stays until a new one comes, and joins with each own record', async () => {
      const digest = (d: number): number[] => Array.from({ length: 16 }, () => d)
      const own = (d: number, body: number): Uint8Array => bytes(2, 0, ...digest(d), body)
      const shared = (d: number, body: number): Uint8Array => bytes(2, ...digest(d), body)
      await h.store.commit([{ type: 'group-state', groupId: '0a0b', state: own(7, 1), shared: shared(7, 50) }])
      expect(await h.store.groups.get('0a0b')).toEqual(bytes(1, 0, 50, 1))
      await h.store.commit([{ type: 'group-state', groupId: '0a0b', state: own(7, 2) }])
      expect(await h.store.groups.get('0a0b')).toEqual(bytes(1, 0, 50, 2))
      // an own record of another epoch beside the stored tree: a torn write, refused
      await h.store.commit([{ type: 'group-state', groupId: '0a0b', state: own(8, 3) }])
      await expect(h.store.groups.get('0a0b')).rejects.toThrow(CorruptRecordError)
      await h.store.commit([{ type: 'group-state', groupId: '0a0b', state: own(8, 3), shared: shared(8, 60) }])
      expect(await h.store.groups.get('0a0b')).toEqual(bytes(1, 0, 60, 3))
      // a whole state replaces a split one entirely; deleting removes both records
      await h.store.groups.put('0a0b', bytes(1, 0, 99))
      expect(await h.store.groups.get('0a0b')).toEqual(bytes(1, 0, 99))
      await h.store.commit([{ type: 'group-state', groupId: '0a0b', state: own(9, 4), shared: shared(9, 70) }])
      await h.store.groups.delete('0a0b')
      await h.store.groups.put('0a0b', own(9, 5))
      expect(await h.store.groups.get('0a0b')).toEqual(own(9, 5))
    })

    it('creates a conversation once and updates its membership', async () => {
      const created = await h.store.conversations.create(conversation('dak/c/0c0c'))
      expect(created).toEqual({ ...conversation('dak/c/0c0c'), lastActivityAt: T0, unread: 0 })
      await expect(h.store.conversations.create(conversation('dak/c/0c0c'))).rejects.toThrow(RecordExistsError)
      const updated = await h.store.conversations.update('dak/c/0c0c', { title: 'Budget 2026', admins: ['asha', 'bilal'] })
      expect(await h.store.conversations.get('dak/c/0c0c')).toEqual(updated)
      expect(updated.title).toBe('Budget 2026')
      expect(updated.members).toEqual(created.members)
      await expect(h.store.conversations.update('dak/c/none', { title: 'x' })).rejects.toThrow(RecordNotFoundError)
    })

    it('moves cursors forward only', async () => {
      await h.store.cursors.advance('dak/c/0d0d', 'nodeA', 10)
      await h.store.cursors.advance('dak/c/0d0d', 'nodeA', 7)
      await h.store.cursors.advance('dak/c/0d0d', 'nodeB', 3)
      await h.store.cursors.advance('dak/c/0d0dd', 'nodeA', 99)
      expect(await h.store.cursors.get('dak/c/0d0d', 'nodeA')).toBe(10)
      expect(await h.store.cursors.forTopic('dak/c/0d0d')).toEqual([{ node: 'nodeA', seq: 10 }, { node: 'nodeB', seq: 3 }])
      expect(await h.store.cursors.get('dak/c/0d0d', 'nodeC')).toBeUndefined()
      await expect(h.store.cursors.advance('dak/c/0d0d', 'nodeA', -1)).rejects.toThrow(InvalidArgumentError)
    })

    it('finds peers by device key and by handle, following a handle change', async () => {
      const phone = { deviceKey: 'aa01', handle: 'asha', certificate: bytes(1) }
      const desk = { deviceKey: 'aa02', handle: 'asha', certificate: bytes(2) }
      await h.store.peers.put(phone)
      await h.store.peers.put(desk)
      expect(await h.store.peers.byHandle('asha')).toEqual([phone, desk])
      await h.store.peers.put({ ...desk, handle: 'asha.rao', certificate: bytes(3) })
      expect(await h.store.peers.byHandle('asha')).toEqual([phone])
      expect(await h.store.peers.byHandle('asha.rao')).toEqual([{ ...desk, handle: 'asha.rao', certificate: bytes(3) }])
      await h.store.peers.remove('aa01')
      expect(await h.store.peers.byHandle('asha')).toEqual([])
      expect(await h.store.peers.list()).toHaveLength(1)
    })

    it('keeps a new device marked new until it is put again without the mark', async () => {
      const ghost = { deviceKey: 'aa03', handle: 'asha', certificate: bytes(4), state: 'new' as const }
      await h.store.peers.put(ghost)
      expect(await h.store.peers.get('aa03')).toEqual(ghost)
      await h.store.peers.put({ deviceKey: 'aa03', handle: 'asha', certificate: bytes(4) })
      expect((await h.store.peers.get('aa03'))?.state).toBeUndefined()
    })

    it('keeps a device its officer removed marked removed, found by handle as before', async () => {
      const retired = { deviceKey: 'aa04', handle: 'asha', certificate: bytes(5), state: 'removed' as const }
      await h.store.peers.put(retired)
      expect(await h.store.peers.get('aa04')).toEqual(retired)
      expect((await h.store.peers.byHandle('asha')).find(p => p.deviceKey === 'aa04')?.state).toBe('removed')
    })

    it('keeps a history transfer across a reopen, its key until complete, and refuses one without a key', async () => {
      const asked = { requestId: 'a1b2', conversationId: 'dak/c/0e0e', askedDevice: 'cc01', suite: 'S', publicKey: bytes(8, 8), privateKey: bytes(9, 9), requestedAt: T0, received: [], messagesAdded: 0 }
      await h.store.commit([{ type: 'history-transfer', transfer: asked }])
      const partway = { ...asked, parts: 3, received: [0, 2], messagesTotal: 600, messagesAdded: 400 }
      await h.store.commit([{ type: 'history-transfer', transfer: partway }])
      const store = await h.reopen()
      expect(await store.historyTransfers.get('a1b2')).toEqual(partway)
      const { privateKey: _dropped, ...done } = { ...partway, received: [0, 1, 2], completedAt: T0 + 9 }
      await store.commit([{ type: 'history-transfer', transfer: done }])
      expect(await store.historyTransfers.list()).toEqual([done])
      await expect(store.commit([{ type: 'history-transfer', transfer: { ...asked, requestId: 'a1b3', privateKey: undefined } }])).rejects.toThrow(InvalidArgumentError)
      await expect(store.commit([{ type: 'history-transfer', transfer: { ...partway, received: [3] } }])).rejects.toThrow(InvalidArgumentError)
    })

    it('remembers the first time an envelope id was seen', async () => {
      await h.store.seen.add('e1', T0)
      await h.store.seen.add('e1', T0 + 5)
      expect(await h.store.seen.seenAt('e1')).toBe(T0)
      expect(await h.store.seen.has('e2')).toBe(false)
    })
  })

  describe('bad stored data', () => {
    let h: Harness
    beforeEach(async () => {
      h = await openHarness(make)
      await h.store.conversations.create(conversation('dak/c/0e0e'))
      await h.store.messages.add(incoming('dak/c/0e0e', 'good', T0))
    })
    afterEach(async () => { await closeHarness(h) })

    const cases: Array<[string, Uint8Array]> = [
      ['not UTF-8', bytes(0xff, 0xfe, 0x00)],
      ['not JSON', utf8('{"id": ')],
      ['JSON of the wrong shape', utf8('{"id": 7}')],
      ['an array', utf8('[1,2,3]')]
    ]
    for (const [what, garbage] of cases) {
      it(`reports a conversation record that is ${what} as CorruptRecordError`, async () => {
        await plant(h, 'conversations', 'dak/c/0e0e', garbage)
        await expect(h.store.conversations.get('dak/c/0e0e')).rejects.toThrow(CorruptRecordError)
        await expect(h.store.conversations.list()).rejects.toThrow(CorruptRecordError)
        await expect(h.store.messages.add(incoming('dak/c/0e0e', 'next', T0))).rejects.toThrow(CorruptRecordError)
      })
    }

    it('reports corrupt messages, outbox entries, pointers and values as CorruptRecordError', async () => {
      const key = `dak/c/0e0e!${String(T0).padStart(16, '0')}!good`
      await plant(h, 'messages', key, utf8(JSON.stringify({ ...incoming('dak/c/0e0e', 'other', T0) })))
      await expect(h.store.messages.history('dak/c/0e0e')).rejects.toThrow(CorruptRecordError)
      await expect(h.store.messages.get('good')).rejects.toThrow(CorruptRecordError)
      await plant(h, 'message-ids', 'lost', utf8('dak/c/0e0e!0000000000000001!lost'))
      await expect(h.store.messages.get('lost')).rejects.toThrow(CorruptRecordError)
      await plant(h, 'outbox', 'o1', utf8('{"id":"o1","payload":"!!"}'))
      await plant(h, 'outbox-due', '0000000000000000!o1', bytes())
      await expect(h.store.outbox.due(T0)).rejects.toThrow(CorruptRecordError)
      await plant(h, 'cursors', 'dak/c/0e0e!nodeA', utf8('-3'))
      await expect(h.store.cursors.get('dak/c/0e0e', 'nodeA')).rejects.toThrow(CorruptRecordError)
      await plant(h, 'seen', 'e1', utf8('yesterday'))
      await expect(h.store.seen.has('e1')).rejects.toThrow(CorruptRecordError)
      await plant(h, 'identity', 'mls-signature-key', utf8('{"publicKey":"AQ"}'))
      await expect(h.store.identity.get()).rejects.toThrow(CorruptRecordError)
      await plant(h, 'groups', '0a0b', bytes())
      await expect(h.store.groups.get('0a0b')).rejects.toThrow(CorruptRecordError)
    })
  })
}
