/**
 * Calls on this device: at most one at a time (a ring during a call is
 * declined as busy), ringing timeouts, and the routing of every verified call
 * signal to its session (call-session.ts). The UI talks to the `Calls` it
 * returns (types.ts).
 */
import { CALL_MAX_PARTICIPANTS, toHex } from '@dak/protocol'
import { CallKeysOutOfStepError, CallTooLargeError, CallUnreachableError, type ReceivedCallSignal } from '@dak/node/calls'
import { CallSession, RING_TIMEOUT_MS } from './call-session.js'
import { AlreadyInCallError, EncryptedCallsUnsupportedError } from './errors.js'
import type { CallDevice, Calls, CallView } from './types.js'

export interface CallManager extends Calls {
  /** The call in progress, for tests and the benchmark (test hooks). */
  session: () => CallSession | undefined
}

export function createCallManager (device: CallDevice): CallManager {
  let session: CallSession | undefined
  let ringTimer: ReturnType<typeof setTimeout> | undefined
  const listeners = new Set<(view: CallView | null) => void>()
  const errorListeners = new Set<(err: unknown) => void>()
  const reportError = (err: unknown): void => { for (const listener of errorListeners) listener(err) }
  const changed = (): void => {
    const view = session?.view() ?? null
    for (const listener of listeners) listener(view)
  }
  const ended = (which: CallSession): void => {
    if (session !== which) return
    clearTimeout(ringTimer)
    session = undefined
    changed()
  }
  const newSession = (init: Omit<ConstructorParameters<typeof CallSession>[0], 'device' | 'reportError' | 'onChange' | 'onEnded'>): CallSession =>
    new CallSession({ ...init, device, reportError, onChange: changed, onEnded: ended })

  const ringFor = (which: CallSession): void => {
    clearTimeout(ringTimer)
    ringTimer = setTimeout(() => {
      if (session !== which || (which.phase !== 'ringing-in' && which.phase !== 'ringing-out')) return
      if (which.phase === 'ringing-out') void which.hangUp()
      else which.end({ how: 'missed' })
    }, RING_TIMEOUT_MS)
  }

  const onSignal = ({ from, signal, roster }: ReceivedCallSignal): void => {
    const callId = toHex(signal.callId)
    const current = session
    if (signal.type === 'ring') {
      if (current !== undefined) {
        if (current.callIdHex !== callId) void device.signals.send(from, { ...signal, type: 'decline', reason: 'busy', joined: undefined }).catch(() => {})
        return
      }
      const joined = [from, ...(signal.joined ?? []).map(toHex).filter(k => k !== from && roster.members.some(m => m.deviceKey === k))]
      const ringing = newSession({ roster, callId: signal.callId, video: signal.video, outgoing: false, joined })
      if (ringing.member(from) === undefined) return
      session = ringing
      ringFor(ringing)
      changed()
      return
    }
    if (current?.callIdHex === callId && current.isOwnDevice(from)) {
      // this officer's other device answered or declined the ring we are ringing with
      if (signal.type === 'join' || signal.type === 'decline') current.onOwnDeviceAnswered(signal.type)
      return
    }
    if (current === undefined || current.callIdHex !== callId || current.member(from) === undefined) return
    const work = async (): Promise<void> => {
      switch (signal.type) {
        case 'join': current.onJoin(from); return
        case 'decline': current.onDecline(from, signal.reason); return
        case 'leave': current.onLeave(from); return
        case 'offer': await current.onOffer(from, signal.sdp ?? ''); return
        case 'answer': await current.onAnswer(from, signal.sdp ?? '')
      }
    }
    work().catch(reportError)
  }
  const offSignal = device.signals.onSignal(onSignal)
  // a change of members during a call re-keys it; this device removed from the conversation leaves it
  const offMembers = device.messenger.on('conversation', ({ id }) => { if (session?.conversationId === id) session.membersChanged() })
  const offRemoved = device.messenger.on('conversation-removed', ({ conversationId }) => { if (session?.conversationId === conversationId) session.removedFromConversation() })

  const requireSupport = (): void => {
    if (typeof RTCRtpScriptTransform !== 'function') throw new EncryptedCallsUnsupportedError('this browser has no RTCRtpScriptTransform, so call media cannot be encrypted end to end')
  }

  return {
    current: () => session?.view() ?? null,
    session: () => session,
    onChange (listener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },
    onError (listener) {
      errorListeners.add(listener)
      return () => { errorListeners.delete(listener) }
    },
    async start (conversationId, { video }) {
      requireSupport()
      if (session !== undefined) throw new AlreadyInCallError('a call is already under way on this device')
      const roster = await device.messenger.callRoster(conversationId)
      const me = device.messenger.whoami()
      const officers = new Set(roster.members.map(m => m.officer.handle))
      if (officers.size > CALL_MAX_PARTICIPANTS) throw new CallTooLargeError(`a call has at most ${CALL_MAX_PARTICIPANTS} people; this conversation has ${officers.size}`)
      if (![...officers].some(h => h !== me.handle)) throw new CallUnreachableError('nobody else in this conversation has a device to call yet')
      const callId = crypto.getRandomValues(new Uint8Array(16))
      const outgoing = newSession({ roster, callId, video, outgoing: true, joined: [] })
      session = outgoing
      changed()
      try {
        await outgoing.openMedia()
        outgoing.joined.clear()
        const reached = await outgoing.ring()
        if (reached === 0) throw new CallUnreachableError('none of the devices in this conversation could be reached')
        ringFor(outgoing)
        changed()
      } catch (err) {
        outgoing.end({ how: 'failed' })
        throw err
      }
    },
    async accept () {
      requireSupport()
      const ringing = session
      if (ringing === undefined || ringing.phase !== 'ringing-in') return
      clearTimeout(ringTimer)
      ringing.phase = 'connecting'
      changed()
      try {
        await ringing.openMedia()
        await ringing.enter()
      } catch (err) {
        const caller = [...ringing.joined][0]
        if (caller !== undefined) await ringing.send(caller, ringing.signal('decline', { reason: err instanceof CallKeysOutOfStepError ? 'keys' : 'declined' }))
        ringing.end({ how: 'failed' })
        throw err
      }
    },
    async decline () {
      const ringing = session
      if (ringing === undefined || ringing.phase !== 'ringing-in') return
      // stop ringing here first; the declines follow (hangUp's reason)
      ringing.end({ how: 'declined-by-me' })
      await Promise.all([
        ...[...ringing.joined].map(async key => await ringing.send(key, ringing.signal('decline', { reason: 'declined' }))),
        ringing.tellOwnDevices('decline')
      ])
    },
    async hangUp () {
      await session?.hangUp()
    },
    async setMuted (muted) { await session?.setMuted(muted) },
    async setCameraOff (off) { await session?.setCameraOff(off) },
    async stop () {
      offSignal()
      offMembers()
      offRemoved()
      await session?.hangUp().catch(() => {})
      clearTimeout(ringTimer)
    }
  }
}
