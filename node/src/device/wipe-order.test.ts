import { issueWipeOrder, TrustStore } from '@dak/protocol'
import { department, officer } from '../../../protocol/src/identity/test-fixtures.js'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Departments } from '../department/departments.js'
import type { DakLibp2p } from '../net/libp2p-common.js'
import { watchWipeOrder, type WipeNotice } from './wipe-order.js'

/**
 * The watch's triggers, driven by hand: a department node that connects and hangs
 * up, and a web face whose answer changes when the order is issued. The CLI test
 * (test/cli/wipe.test.ts) runs the whole path on a real node; this one pins the
 * timing it once lost in CI: a hang-up that came while an earlier check was
 * still out, or too soon after one, was dropped, and a revoked device kept running.
 */

/** Bala's device, certified by the Budget division's (test) authority. */
function enrolled () {
  const mof = department('mof.budget')
  const bala = officer(mof, 'bala')
  return { authority: mof.authority, trust: new TrustStore([mof.entry]), deviceKeys: bala.device, certificate: bala.certificate }
}

/** One department node that the test connects and hangs up by hand. */
function oneDepartment (): Departments & { connect: () => void, hangUp: () => void } {
  let up = false
  const handlers = new Set<() => void>()
  const change = (): void => { for (const handler of handlers) handler() }
  return {
    connected: () => up ? [{ id: 'node-1' } as unknown as ReturnType<Departments['connected']>[number]] : [],
    onChange (handler) { handlers.add(handler); return () => { handlers.delete(handler) } },
    connect () { up = true; change() },
    hangUp () { up = false; change() }
  }
}

/** The node's web face: 204 until `order` is set; each wipe-order GET is counted and may be held open. */
interface WebFace { order?: Uint8Array, asked: number, hold?: Promise<void>, fetch: typeof fetch }

function webFace (): WebFace {
  const face: WebFace = {
    asked: 0,
    fetch: (async (input: string | URL | Request) => {
      const url = new URL(String(input))
      if (url.pathname.endsWith('/done')) return new Response(null, { status: 204 })
      face.asked++
      const answer: Uint8Array | undefined = face.order
      if (face.hold != null) await face.hold
      return answer == null ? new Response(null, { status: 204 }) : new Response(new Uint8Array(answer), { status: 200 })
    }) as typeof fetch
  }
  return face
}

/** Lets the checks that a trigger started answer (the fake face answers at once unless held). */
async function settled (): Promise<void> { await vi.advanceTimersByTimeAsync(0) }

describe('a running device asks for its wipe order when its department node hangs up', () => {
  beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }) })
  afterEach(() => { vi.useRealTimers() })

  async function watching () {
    const device = enrolled()
    const departments = oneDepartment()
    const face = webFace()
    const obeyed: WipeNotice[] = []
    const libp2p = { services: { directory: new EventTarget() } } as unknown as DakLibp2p
    const watch = watchWipeOrder({
      ...device, departments, libp2p, nodeUrls: ['http://node.test'], fetch: face.fetch,
      obey: async (_order, notice) => { obeyed.push(notice) }
    })
    return { ...device, departments, face, obeyed, watch }
  }

  it('asks again after a check that was still out when the node hung up', async () => {
    const { authority, deviceKeys, departments, face, obeyed, watch } = await watching()
    let answer!: () => void
    face.hold = new Promise<void>(resolve => { answer = resolve })
    departments.connect() // asks: no order yet, and the answer is slow
    await vi.advanceTimersByTimeAsync(0)
    expect(face.asked).toBe(1)

    face.order = issueWipeOrder(authority, deviceKeys.publicKey, Date.now())
    departments.hangUp() // revoked with the order, while the first check is still out
    face.hold = undefined
    answer()
    await vi.advanceTimersByTimeAsync(0)
    await watch.idle()
    expect(face.asked).toBe(2)
    expect(obeyed).toEqual([expect.objectContaining({ department: 'Authority of mof.budget', reported: true })])
    watch.stop()
  })

  it('asks once the interval is over after a hang-up too soon after the last, and not more often', async () => {
    const { authority, deviceKeys, departments, face, obeyed, watch } = await watching()
    departments.connect() // asks: no order
    await settled()
    departments.hangUp() // a flap: asks at once, no order yet
    await settled()
    departments.connect() // back: asks again, still no order
    await settled()
    expect(face.asked).toBe(3)

    face.order = issueWipeOrder(authority, deviceKeys.publicKey, Date.now())
    departments.hangUp() // revoked with the order, 0 s after the flap's ask
    await settled()
    await vi.advanceTimersByTimeAsync(9_000)
    expect(face.asked).toBe(3) // too soon: not asked yet
    expect(obeyed).toEqual([])
    await vi.advanceTimersByTimeAsync(1_000)
    await watch.idle()
    expect(face.asked).toBe(4)
    expect(obeyed).toHaveLength(1)
    watch.stop()
  })

  it('asks nothing more once stopped', async () => {
    const { departments, face, watch } = await watching()
    departments.connect()
    await settled()
    departments.hangUp()
    await settled()
    departments.connect()
    await settled()
    departments.hangUp() // deferred
    await settled()
    watch.stop()
    await vi.advanceTimersByTimeAsync(20_000)
    expect(face.asked).toBe(3)
  })
})
