import { DuplicateMessageError, InvalidArgumentError } from '@dak/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RecordNotFoundError, StorageUnavailableError } from '../errors.js'
import type { StoreOp } from '../ops.js'
import { T0, bytes, closeHarness, conversation, incoming, keyText, openHarness, outgoing, type Harness, type MakeLocation, type PrewriteHook } from './fixtures.js'

const c = 'dak/c/a70a'
const groupId = 'a70a0000'

/** What processing one incoming message writes: state, message, seen id, a receipt to send, the cursor. */
function processed (id: string, state: Uint8Array): StoreOp[] {
  return [
    { type: 'group-state', groupId, state },
    { type: 'message-add', message: incoming(c, id, T0 + 1) },
    { type: 'seen', id, at: T0 + 2 },
    { type: 'outbox-add', entry: { id: `receipt-${id}`, conversationId: c, kind: 'receipt', payload: bytes(9), createdAt: T0 + 2 } },
    { type: 'cursor', topic: c, node: '12D3KooWStore', seq: 41 }
  ]
}

async function nothingFrom (h: Harness, id: string): Promise<void> {
  expect(await h.store.groups.get(groupId)).toEqual(bytes(1))
  expect(await h.store.messages.has(id)).toBe(false)
  expect(await h.store.seen.has(id)).toBe(false)
  expect(await h.store.outbox.get(`receipt-${id}`)).toBeUndefined()
  expect(await h.store.cursors.get(c, '12D3KooWStore')).toBe(40)
  expect((await h.store.conversations.get(c))?.unread).toBe(0)
  expect((await h.store.messages.history(c)).messages).toEqual([])
}

export function atomicContract (make: MakeLocation): void {
  describe('atomic commits', () => {
    let h: Harness
    beforeEach(async () => {
      h = await openHarness(make)
      await h.store.conversations.create(conversation(c))
      await h.store.commit([{ type: 'group-state', groupId, state: bytes(1) }, { type: 'cursor', topic: c, node: '12D3KooWStore', seq: 40 }])
    })
    afterEach(async () => { await closeHarness(h) })

    it('writes a group state together with everything it produced', async () => {
      await h.store.commit(processed('m1', bytes(2, 2)))
      expect(await h.store.groups.get(groupId)).toEqual(bytes(2, 2))
      expect(await h.store.messages.get('m1')).toEqual(incoming(c, 'm1', T0 + 1))
      expect(await h.store.seen.seenAt('m1')).toBe(T0 + 2)
      expect((await h.store.outbox.get('receipt-m1'))?.kind).toBe('receipt')
      expect(await h.store.cursors.get(c, '12D3KooWStore')).toBe(41)
      expect((await h.store.conversations.get(c))?.unread).toBe(1)
    })

    it('writes nothing when the last op is refused', async () => {
      await expect(h.store.commit([...processed('m1', bytes(2)), { type: 'message-state', id: 'ghost', state: 'read' }])).rejects.toThrow(RecordNotFoundError)
      await nothingFrom(h, 'm1')
    })

    it('writes nothing when a batch repeats a message id', async () => {
      await expect(h.store.commit([...processed('m1', bytes(2)), { type: 'message-add', message: incoming(c, 'm1', T0 + 7) }])).rejects.toThrow(DuplicateMessageError)
      await nothingFrom(h, 'm1')
    })

    it('writes nothing when an op is not an op', async () => {
      const bogus = { type: 'drop-table' } as unknown as StoreOp
      await expect(h.store.commit([...processed('m1', bytes(2)), bogus])).rejects.toThrow(InvalidArgumentError)
      await nothingFrom(h, 'm1')
    })

    it('writes nothing when the database fails inside the batch', async () => {
      // Fail on the seen id, which the store writes after the group state and the message.
      const failOnSeen: PrewriteHook = (op) => { if (keyText(op.key).includes('!seen!')) throw new Error('disk full') }
      h.db.hooks.prewrite.add(failOnSeen)
      try {
        await expect(h.store.commit(processed('m1', bytes(2)))).rejects.toThrow(StorageUnavailableError)
      } finally {
        h.db.hooks.prewrite.delete(failOnSeen)
      }
      await nothingFrom(h, 'm1')
      // The store is still usable afterwards.
      await h.store.commit(processed('m1', bytes(2)))
      expect(await h.store.messages.has('m1')).toBe(true)
    })

    it('lets later ops in a batch see earlier ones', async () => {
      await h.store.commit([
        { type: 'message-add', message: incoming(c, 'a', T0 + 1) },
        { type: 'message-add', message: incoming(c, 'b', T0 + 2) },
        { type: 'message-add', message: outgoing(c, 'local', T0 + 3) },
        { type: 'message-state', id: 'a', state: 'read' },
        { type: 'message-rename', id: 'local', newId: 'sealed' },
        { type: 'message-state', id: 'sealed', state: 'sent' },
        { type: 'mark-read', conversationId: c, upTo: 'b' }
      ])
      const states = (await h.store.messages.history(c)).messages.map(m => [m.id, m.state])
      expect(states).toEqual([['a', 'read'], ['b', 'read'], ['sealed', 'sent']])
      expect((await h.store.conversations.get(c))?.unread).toBe(0)
    })

    it('keeps every section across close and reopen', async () => {
      await h.store.identity.put({ deviceSeed: bytes(7), mlsSignatureKey: { publicKey: bytes(1), privateKey: bytes(2) }, certificate: bytes(3), trustBundle: bytes(4) })
      await h.store.identity.putRevocationList('cafe', bytes(5))
      await h.store.peers.put({ deviceKey: 'bb'.repeat(32), handle: 'bilal', certificate: bytes(6) })
      await h.store.commit(processed('m1', bytes(2)))
      const store = await h.reopen()
      expect(await store.identity.get()).toEqual({ deviceSeed: bytes(7), mlsSignatureKey: { publicKey: bytes(1), privateKey: bytes(2) }, certificate: bytes(3), trustBundle: bytes(4) })
      expect(await store.identity.revocationLists()).toEqual([{ authority: 'cafe', list: bytes(5) }])
      expect(await store.peers.byHandle('bilal')).toEqual([{ deviceKey: 'bb'.repeat(32), handle: 'bilal', certificate: bytes(6) }])
      expect(await store.groups.get(groupId)).toEqual(bytes(2))
      expect((await store.messages.history(c)).messages).toEqual([incoming(c, 'm1', T0 + 1)])
      expect(await store.seen.has('m1')).toBe(true)
      expect(await store.cursors.forTopic(c)).toEqual([{ node: '12D3KooWStore', seq: 41 }])
      expect((await store.conversations.list())[0]?.unread).toBe(1)
    })

    it('refuses everything with a typed error once closed', async () => {
      const store = h.store
      await store.close()
      await expect(store.messages.add(incoming(c, 'late', T0))).rejects.toThrow(StorageUnavailableError)
      await expect(store.commit([])).rejects.toThrow(StorageUnavailableError)
      await expect(store.messages.history(c)).rejects.toThrow(StorageUnavailableError)
      h.store = await h.reopen()
    })
  })
}
