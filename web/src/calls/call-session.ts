/**
 * One call on this device, from ringing to hang-up: who is in it, one peer
 * link (peer-link.ts) to each other participant, the SFrame worker, and the
 * signals that set them up. Mesh rule: between two participants the one
 * with the smaller device key makes the offer, so two never offer to each
 * other at once. call-manager.ts routes signals here and keeps one call at a time.
 */
import { CALL_MAX_PARTICIPANTS, fromHex, toHex, type CallSignal } from '@dak/protocol'
import { NotACallMemberError, type CallMember, type CallRoster } from '@dak/node/calls'
import { callLine, type CallEnd } from './call-lines.js'
import { MediaUnavailableError } from './errors.js'
import { SAMPLE_INTERVAL_MS, type LinkSample } from './link-quality.js'
import { ADDED_RING_TRIES, sendWithRetries } from './signal-retries.js'
import { VideoFallback } from './video-fallback.js'
import { createPeerLink, type PeerLink } from './peer-link.js'
import { mediaStats } from './stats.js'
import type { CallDevice, CallParticipant, CallPhase, CallView } from './types.js'
import type { WorkerRequest } from './worker-messages.js'

/** How long a call rings before it counts as not answered (or missed): about what phones do. */
export const RING_TIMEOUT_MS = 45_000

export interface SessionInit {
  device: CallDevice
  roster: CallRoster
  callId: Uint8Array
  video: boolean
  outgoing: boolean
  /** Device keys already in the call when it reached us (the caller at least). */
  joined: string[]
  reportError: (err: unknown) => void
  onChange: () => void
  onEnded: (session: CallSession) => void
}

export class CallSession {
  readonly callIdHex: string
  readonly me: string
  private members: CallMember[]
  /** This officer's other devices in the conversation: rung as well, and told when this one answers or declines. */
  private readonly ownDevices: string[]
  /** The conversation's roster at the epoch whose keys the call uses now (re-keyed on a change of members). */
  private roster: CallRoster
  private rekeying: Promise<void> = Promise.resolve()
  /** The epoch of the keys the worker sends under. */
  private keysEpoch: string | undefined
  readonly joined = new Set<string>()
  private readonly states = new Map<string, CallParticipant>()
  private readonly links = new Map<string, PeerLink>()
  phase: CallPhase
  private local: MediaStream | undefined
  worker: Worker | undefined
  secret: Uint8Array | undefined
  private muted = false
  private cameraOff = false
  private connectedAt: number | undefined
  private sampler: ReturnType<typeof setInterval> | undefined
  /** Members added during the call ring this long (RING_TIMEOUT_MS), then count as not answering. */
  private addedRingTimer: ReturnType<typeof setTimeout> | undefined
  private readonly now: () => number
  private readonly fallback: VideoFallback
  /**
   * Where the poor-link check reads a peer connection's sample: its getStats.
   * Loopback never loses a packet, so the browser test replaces this through
   * the test hooks to drive the fallback and the way back.
   */
  linkSample: (pc: RTCPeerConnection) => Promise<LinkSample> = async (pc) => (await mediaStats(pc)).sample

  constructor (private readonly init: SessionInit) {
    this.now = init.device.now ?? Date.now
    this.fallback = new VideoFallback(init.reportError)
    this.callIdHex = toHex(init.callId)
    this.roster = init.roster
    const me = init.device.messenger.whoami()
    this.me = me.deviceKey
    // this officer's other devices are not rung: an officer does not call themself
    this.members = init.roster.members.filter(m => m.deviceKey !== this.me && m.officer.handle !== me.handle)
    this.ownDevices = init.roster.members.filter(m => m.deviceKey !== this.me && m.officer.handle === me.handle).map(m => m.deviceKey)
    for (const key of init.joined) this.joined.add(key)
    for (const m of this.members) this.states.set(m.deviceKey, { deviceKey: m.deviceKey, officer: m.officer, state: this.joined.has(m.deviceKey) ? 'connecting' : 'ringing' })
    this.phase = init.outgoing ? 'ringing-out' : 'ringing-in'
  }

  get conversationId (): string { return this.init.roster.conversationId }
  get video (): boolean { return this.init.video }
  get outgoing (): boolean { return this.init.outgoing }

  /** The member a device key names, if it is one of this conversation's. */
  member (deviceKey: string): CallMember | undefined {
    return this.members.find(m => m.deviceKey === deviceKey)
  }

  signal (type: CallSignal['type'], extra: Partial<CallSignal> = {}): CallSignal {
    return { type, conversationId: this.conversationId, callId: this.init.callId, epoch: this.roster.epoch, video: this.init.video, ...extra } as CallSignal
  }

  /** Send to one device (join, offer and answer with retries); a failure marks it unreachable instead of throwing. */
  async send (deviceKey: string, signal: CallSignal, tries?: number): Promise<boolean> {
    const failed = await sendWithRetries(async () => { await this.init.device.signals.send(deviceKey, signal) }, signal.type, () => !this.ended() && (tries === undefined || this.states.get(deviceKey)?.state === 'ringing'), tries)
    if (failed === undefined) return true
    this.setState(deviceKey, 'unreachable')
    if (signal.type === 'offer' || signal.type === 'answer') this.init.reportError(failed.error)
    return false
  }

  /** Ring every other member's device; resolves with how many were reached. */
  async ring (): Promise<number> {
    const ring = this.signal('ring', { joined: [...this.joined].map(fromHex) })
    const reached = await Promise.all(this.members.map(async m => await this.send(m.deviceKey, ring)))
    return reached.filter(Boolean).length
  }

  /** The call's secret, camera and microphone, and the worker: before any media flows. */
  async openMedia (): Promise<void> {
    const roster = this.roster
    const secret = await this.init.device.messenger.callSecret(this.conversationId, this.init.callId, roster.epoch)
    this.secret = secret
    try {
      this.local = await this.init.device.getUserMedia({ audio: true, video: this.init.video })
    } catch (err) {
      throw new MediaUnavailableError(`the ${this.init.video ? 'camera or microphone' : 'microphone'} could not be opened: ${err instanceof Error ? err.message : String(err)}`)
    }
    this.worker = this.init.device.createWorker()
    const session = crypto.getRandomValues(new Uint32Array(1))[0]! >>> 1
    this.post({ type: 'keys', secret: secret.slice(), ownLeaf: roster.ownLeaf, session })
    this.keysEpoch = roster.epoch
    // the members may have changed while the camera opened: keys of the epoch now, not the one rung at
    if (this.roster.epoch !== roster.epoch) this.membersChanged()
    this.sampler = setInterval(() => { void this.sampleLinks() }, SAMPLE_INTERVAL_MS)
  }

  post (request: WorkerRequest): void {
    this.worker?.postMessage(request)
  }

  /** We are in the call now: tell everyone, and offer to those the mesh rule says we offer to. */
  async enter (): Promise<void> {
    this.phase = this.joined.size > 0 ? 'connecting' : this.phase
    this.init.onChange()
    const join = this.signal('join')
    // offers do not wait for joins to reach everyone: a join to someone unreachable is tried for a while
    const joins = Promise.all(this.members.filter(m => this.states.get(m.deviceKey)?.state !== 'declined').map(async m => await this.send(m.deviceKey, join)))
    const siblings = this.tellOwnDevices('join')
    for (const key of this.joined) await this.connectTo(key)
    await Promise.all([joins, siblings])
  }

  /** Someone joined (or we learnt they are in): connect if the mesh rule makes us the offerer. */
  async connectTo (deviceKey: string): Promise<void> {
    if (this.local === undefined || this.links.has(deviceKey) || this.me >= deviceKey) return
    const link = this.link(deviceKey)
    const sdp = await link.makeOffer()
    await this.send(deviceKey, this.signal('offer', { sdp }))
  }

  async onOffer (from: string, sdp: string): Promise<void> {
    if (this.local === undefined) return
    const existing = this.links.get(from)
    // the same offer again (its sender did not hear our reply): the same answer, not a new connection
    if (existing?.answered?.offer === sdp) {
      await this.send(from, this.signal('answer', { sdp: existing.answered.answer }))
      return
    }
    existing?.close()
    this.links.delete(from)
    const answer = await this.link(from).acceptOffer(sdp)
    await this.send(from, this.signal('answer', { sdp: answer }))
  }

  isOwnDevice (deviceKey: string): boolean {
    return this.ownDevices.includes(deviceKey)
  }

  /**
   * This device answered (join) or declined the ring: this officer's other
   * devices, still ringing, stop (docs/calls.md, *Several devices*).
   */
  async tellOwnDevices (type: 'join' | 'decline'): Promise<void> {
    const signal = this.signal(type, type === 'decline' ? { reason: 'declined' } : {})
    await Promise.all(this.ownDevices.map(async key => await this.send(key, signal)))
  }

  /** Another device of this officer answered or declined: this one stops ringing and says so. */
  onOwnDeviceAnswered (type: 'join' | 'decline'): void {
    if (this.phase !== 'ringing-in') return
    this.end({ how: type === 'join' ? 'answered-elsewhere' : 'declined-elsewhere' })
  }

  async onAnswer (from: string, sdp: string): Promise<void> {
    await this.links.get(from)?.acceptAnswer(sdp)
  }

  onJoin (from: string): void {
    this.joined.add(from)
    if (this.states.get(from)?.state === 'ringing') this.setState(from, 'connecting')
    // the officer answered on this device: their other devices stop ringing, so nobody waits for them
    for (const sibling of this.siblingsRinging(from)) this.setState(sibling, 'left')
    if (this.phase === 'ringing-out') this.phase = 'connecting'
    this.init.onChange()
    void this.connectTo(from).catch(this.init.reportError)
  }

  onDecline (from: string, reason: string | undefined): void {
    this.setState(from, 'declined')
    // the officer declined (not: that device was busy): their other devices stop ringing too
    if (reason === 'declined') for (const sibling of this.siblingsRinging(from)) this.setState(sibling, 'declined')
    this.endIfAlone()
  }

  /** The other devices of the officer whose device `deviceKey` is, still ringing. */
  private siblingsRinging (deviceKey: string): string[] {
    const handle = this.member(deviceKey)?.officer.handle
    return [...this.states.values()].filter(p => p.deviceKey !== deviceKey && p.officer.handle === handle && p.state === 'ringing').map(p => p.deviceKey)
  }

  onLeave (from: string): void {
    this.joined.delete(from)
    this.links.get(from)?.close()
    this.links.delete(from)
    this.setState(from, 'left')
    this.endIfAlone()
  }

  /**
   * The conversation's members may have changed (a 'conversation' event).
   * At a new MLS epoch: links to devices no longer in it close (they are out
   * of the call), then every remaining participant derives the call secret
   * from the new epoch and sends under it (docs/calls.md, re-keying). Runs
   * one at a time; an unchanged epoch costs one roster read.
   */
  membersChanged (): void {
    this.rekeying = this.rekeying.then(async () => { await this.rekey() }).catch(this.init.reportError)
  }

  private async rekey (): Promise<void> {
    if (this.ended()) return
    let roster: CallRoster
    try {
      roster = await this.init.device.messenger.callRoster(this.conversationId)
    } catch (err) {
      // this device itself is out of the conversation (its own 'conversation-removed' may come after)
      if (err instanceof NotACallMemberError) {
        this.removedFromConversation()
        return
      }
      throw err
    }
    if (this.ended()) return
    const gone = this.members.filter(m => !roster.members.some(r => r.deviceKey === m.deviceKey))
    this.members = this.members.filter(m => !gone.includes(m))
    for (const m of gone) {
      this.joined.delete(m.deviceKey)
      this.links.get(m.deviceKey)?.close()
      this.links.delete(m.deviceKey)
      this.setState(m.deviceKey, 'left')
    }
    this.roster = roster
    const added = this.joinedTheConversation(roster)
    if (this.worker !== undefined && this.keysEpoch !== roster.epoch) {
      // a newer commit may land between the roster and the secret: CallKeysOutOfStepError, and its own event re-keys again
      const secret = await this.init.device.messenger.callSecret(this.conversationId, this.init.callId, roster.epoch)
      if (this.ended()) {
        secret.fill(0)
        return
      }
      const session = crypto.getRandomValues(new Uint32Array(1))[0]! >>> 1
      this.post({ type: 'rekey', secret: secret.slice(), session })
      this.keysEpoch = roster.epoch
      this.secret?.fill(0)
      this.secret = secret
    }
    if (gone.length > 0) this.endIfAlone()
    if (added.length > 0) await this.ringAdded(added)
  }

  /** Officers' devices added to the conversation during the call: now members of the call too, ringing. */
  private joinedTheConversation (roster: CallRoster): CallMember[] {
    const me = this.init.device.messenger.whoami()
    const officers = new Set([me.handle, ...this.members.map(m => m.officer.handle)])
    const added: CallMember[] = []
    for (const r of roster.members) {
      if (r.deviceKey === this.me || r.officer.handle === me.handle || this.member(r.deviceKey) !== undefined) continue
      // a mesh call stops at CALL_MAX_PARTICIPANTS officers: one added beyond that is not rung (docs/calls.md)
      if (!officers.has(r.officer.handle) && officers.size >= CALL_MAX_PARTICIPANTS) continue
      officers.add(r.officer.handle)
      added.push(r)
    }
    for (const m of added) {
      this.members.push(m)
      this.states.set(m.deviceKey, { deviceKey: m.deviceKey, officer: m.officer, state: 'ringing' })
    }
    if (added.length > 0) {
      this.init.onChange()
      // not answered within a ring's time: no longer waited for (the call may end without them)
      this.addedRingTimer = setTimeout(() => {
        for (const m of added) if (this.states.get(m.deviceKey)?.state === 'ringing') this.setState(m.deviceKey, 'left')
        this.endIfAlone()
      }, RING_TIMEOUT_MS)
    }
    return added
  }

  /**
   * Ring devices added during the call, with the keys of the epoch that added
   * them. One participant rings, the one with the smallest device key among
   * those in the call, so a newcomer gets one ring (a second would find it busy).
   */
  private async ringAdded (added: CallMember[]): Promise<void> {
    if (this.phase === 'ringing-in' || this.ended()) return
    const inCall = [this.me, ...this.joined].sort()
    if (inCall[0] !== this.me) return
    const ring = this.signal('ring', { joined: inCall.map(fromHex) })
    await Promise.all(added.map(async m => await this.send(m.deviceKey, ring, ADDED_RING_TRIES)))
  }

  /** Read afresh after an await (TypeScript would keep the narrowing from before it). */
  private ended (): boolean {
    return this.phase === 'ended'
  }

  /** This device is out of the conversation: it leaves the call at once (the others close their links to it too). */
  removedFromConversation (): void {
    if (this.phase === 'ringing-in') this.end({ how: 'missed' })
    else this.end(this.connectedAt !== undefined ? { how: 'talked', durationMs: this.now() - this.connectedAt } : { how: 'failed' })
  }

  /** Nobody left to talk to, or to wait for: the call is over. */
  private endIfAlone (): void {
    if (this.phase === 'ended') return
    const waiting = [...this.states.values()].some(p => p.state === 'ringing' || p.state === 'connecting' || p.state === 'connected')
    if (waiting) return
    const declinedBy = [...this.states.values()].find(p => p.state === 'declined')
    this.end(this.connectedAt !== undefined ? { how: 'talked', durationMs: this.now() - this.connectedAt } : declinedBy !== undefined ? { how: 'declined', by: declinedBy.officer.displayName } : this.phase === 'ringing-in' ? { how: 'missed' } : { how: 'no-answer' })
  }

  private link (deviceKey: string): PeerLink {
    const member = this.member(deviceKey)
    if (this.local === undefined || this.worker === undefined || member === undefined) throw new Error('the call has no media yet')
    const link = createPeerLink({
      deviceKey,
      remoteLeaf: member.leafIndex,
      local: this.local,
      worker: this.worker,
      iceServers: [],
      onConnectionState: (state) => {
        if (state === 'connected') {
          this.connectedAt ??= this.now()
          this.phase = 'active'
          this.setState(deviceKey, 'connected')
        } else if (state === 'failed') {
          this.onLeave(deviceKey)
        }
      },
      onRemoteTrack: (stream) => {
        const p = this.states.get(deviceKey)
        if (p !== undefined) this.states.set(deviceKey, { ...p, stream })
        this.init.onChange()
      }
    })
    this.links.set(deviceKey, link)
    void this.applySending(link)
    return link
  }

  private async applySending (link: PeerLink): Promise<void> {
    await link.setSending('audio', !this.muted)
    await link.setSending('video', !this.cameraOff && !this.fallback.paused)
  }

  async setMuted (muted: boolean): Promise<void> {
    this.muted = muted
    await Promise.all([...this.links.values()].map(async l => { await l.setSending('audio', !muted) }))
    this.init.onChange()
  }

  async setCameraOff (off: boolean): Promise<void> {
    this.cameraOff = off
    for (const t of this.local?.getVideoTracks() ?? []) t.enabled = !off
    await Promise.all([...this.links.values()].map(async l => { await this.applySending(l) }))
    this.init.onChange()
  }

  /** The poor-link fallback: video off while any link is poor, back on when all are good again. */
  private async sampleLinks (): Promise<void> {
    if (!this.init.video || !await this.fallback.sample(this.links, this.linkSample)) return
    await Promise.all([...this.links.values()].map(async l => { await this.applySending(l) }))
    this.init.onChange()
  }

  peerLinks (): PeerLink[] {
    return [...this.links.values()]
  }

  /**
   * Leave: end here at once, then tell everyone still in or still ringing.
   * A leave to a device behind a slow relay can take a dial and a request
   * timeout (20 s); the officer who pressed the button must not watch the
   * call go on meanwhile, and the others see the media link close anyway.
   */
  async hangUp (): Promise<void> {
    if (this.phase === 'ended') return
    const leave = this.signal('leave')
    const told = this.members.filter(m => this.joined.has(m.deviceKey) || (this.outgoing && this.states.get(m.deviceKey)?.state === 'ringing'))
    this.end(this.connectedAt !== undefined ? { how: 'talked', durationMs: this.now() - this.connectedAt } : this.outgoing ? { how: 'no-answer' } : { how: 'declined-by-me' })
    await Promise.all(told.map(async m => await this.send(m.deviceKey, leave)))
  }

  end (how: CallEnd): void {
    if (this.phase === 'ended') return
    this.phase = 'ended'
    clearInterval(this.sampler)
    clearTimeout(this.addedRingTimer)
    for (const link of this.links.values()) link.close()
    this.links.clear()
    for (const track of this.local?.getTracks() ?? []) track.stop()
    this.worker?.terminate()
    this.secret?.fill(0)
    const line = callLine(this.init.video, this.init.outgoing, this.peerName(), how)
    this.init.device.messenger.recordCallLine({ conversationId: this.conversationId, callId: this.callIdHex, text: line.text, at: this.now(), missed: line.missed }).catch(this.init.reportError)
    this.init.onEnded(this)
  }

  private setState (deviceKey: string, state: CallParticipant['state']): void {
    const p = this.states.get(deviceKey)
    if (p !== undefined) this.states.set(deviceKey, { ...p, state })
    this.init.onChange()
  }

  peerName (): string {
    const caller = this.init.outgoing ? undefined : this.members.find(m => this.init.joined[0] === m.deviceKey)
    if (caller !== undefined && this.roster.kind === 'direct') return caller.officer.displayName
    const names = this.members.map(m => m.officer.displayName)
    return [...new Set(names)].join(', ')
  }

  view (): CallView {
    return {
      callId: this.callIdHex,
      conversationId: this.conversationId,
      video: this.init.video,
      outgoing: this.init.outgoing,
      peerName: this.peerName(),
      phase: this.phase,
      muted: this.muted,
      cameraOff: this.cameraOff,
      videoPaused: this.fallback.paused,
      participants: [...this.states.values()],
      ...(this.local !== undefined ? { local: this.local } : {}),
      ...(this.connectedAt !== undefined ? { connectedAt: this.connectedAt } : {})
    }
  }
}
