import { describe, expect, it } from 'vitest'
import { createInvite, inviteLink, InvalidInviteError } from '../../protocol/src/index.js'
import { inviteFromHash } from './invite.js'
import { readInviteTicket } from './invite-ticket.js'

const invite = createInvite({
  department: 'dev.department',
  authorityPublicKey: new Uint8Array(32).fill(7),
  handle: 'ravi',
  displayName: 'Ravi Kumar',
  title: 'Section Officer',
  expiresAt: Date.UTC(2030, 0, 1),
  nodeAddrs: ['/ip4/127.0.0.1/tcp/4001'],
  randomBytes: (n) => new Uint8Array(n).map((_, i) => (i * 37 + 11) & 0xff)
})

describe('readInviteTicket', () => {
  it('shows the typed code and whom the invite is for, from what an invite link carries', () => {
    const fromLink = inviteFromHash(new URL(inviteLink('https://dak.example/', invite.bytes)).hash)
    expect(fromLink).not.toBeNull()
    const view = readInviteTicket(fromLink as string)
    expect(view.code).toBe(invite.code)
    expect(view.code).toMatch(/^DAK-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/)
    expect(view).toMatchObject({ displayName: 'Ravi Kumar', title: 'Section Officer', department: 'dev.department', expiresAt: Date.UTC(2030, 0, 1) })
  })

  it('refuses a damaged link with InvalidInviteError', () => {
    const ticket = invite.url.slice('dak:invite/'.length)
    expect(() => readInviteTicket(ticket.slice(0, 20))).toThrow(InvalidInviteError)
    expect(() => readInviteTicket('not base64 at all!')).toThrow(InvalidInviteError)
  })
})
