import { auditMembers, checkPrecedence, compareSafetyQr, DakError, fromHex, isAdmin, isRemoved, openEnvelope, policyOf, safetyNumber, toHex, type Certificate, type SafetyParty, type ConversationContext } from '@dak/protocol'
import { requestLinkCode } from './linked-devices.js'
import { removeOwnDevice, vouchFor } from './device-vouches.js'
import { randomBytes as nodeRandomBytes } from '@noble/hashes/utils.js'
import type { DeviceStore } from '../storage/index.js'
import type { ConnectionStatus, Messenger } from './api.js'
import { catchUp, catchUpJoined, repairGaps } from './catch-up.js'
import { anyMissing } from './gaps.js'
import { GroupStates, serialQueue, unrefSchedule, type DeviceKeys, type EngineContext, type Schedule } from './context.js'
import { createConversation, leaveConversation } from './conversations.js'
import { Directory, UnknownDeviceError } from './directory.js'
import { errorDetail, MessengerEmitter } from './events.js'
import { createIncoming } from './incoming.js'
import { createCarry } from './carry.js'
import { departmentSessions } from './department-sessions.js'
import { peerMeetings } from './peer-meetings.js'
import { nodeMeshCatchUp } from './node-mesh-catch-up.js'
import { lanKeyPackage } from './key-stock.js'
import { DeviceRevokedError, requireOpen, revokedMessage, type RevocationNotice } from './closed.js'
import { membershipRunner, queueMembership } from './membership.js'
import { transparencyWatch } from './transparency.js'
import { officerOf } from './officers.js'
import { queueControl, queueText } from './outgoing.js'
import { startOutboxWorker } from './outbox-worker.js'
import type { DepartmentsPort, MeshPort } from './ports.js'
import { deliveryReceipts } from './receipts.js'
import { summarise } from './summaries.js'
import { revokedOther } from './direct-ended.js'
import { inboxTopic } from '@dak/protocol/department'
import { statusOf } from './history-import.js'
import { startAttachments, type AttachmentOptions } from './files/attachments.js'
import { noChunkNetwork, type ChunkNetwork } from './files/ports.js'
import { setTimer } from './disappearing.js'
import { expirySweep } from './expiry-sweep.js'
import { callRoster, callSecret, recordCallLine, type CallRoster } from './call-secret.js'
// issue 16: everyday messaging and directives
import { everydayMessaging } from './everyday.js'
import { directiveReminders } from './directive-reminders.js'
import { componentLogger } from '../log.js'

const log = componentLogger('messenger')

export interface MessengerComponents {
  store: DeviceStore
  mesh: MeshPort
  departments: DepartmentsPort
  keys: DeviceKeys
  verifyContext: () => ConversationContext
  now?: () => number
  randomBytes?: (n: number) => Uint8Array
  /** Timers for coalescing delivery receipts; unref'd setTimeout unless a test fires them itself. */
  schedule?: Schedule
  /** This device's certificate was revoked (known from an earlier run): open read-only. */
  revoked?: RevocationNotice
  /** Attachments (docs/files.md): where chunks are fetched from and served to; none if absent. */
  chunks?: ChunkNetwork
  attachments?: AttachmentOptions
  /** Disappearing messages: the department's maximum retention in ms, as last heard from its node (undefined: none). */
  maxRetentionMs?: () => number | undefined
}

/** The engine's extra handles for tests, the CLI and the benchmarks. */
export interface DakMessenger extends Messenger {
  /** Resolves when the outbox worker has nothing running. */
  idle: () => Promise<void>
  /** Catch up from every reachable department node now; resolves with the number of envelopes seen. */
  catchUp: () => Promise<number>
  /** Device keys of known, valid devices (the gossip validator's question). */
  isKnownDevice: (deviceKey: Uint8Array) => boolean
  /**
   * Take an envelope that arrived outside gossip (a direct stream, a file, a
   * test): the same door checks as gossip, then the inbox. Throws the typed
   * error when it is refused; duplicates are accepted silently and shown once.
   */
  receiveEnvelope: (bytes: Uint8Array) => Promise<void>
  /**
   * In every conversation this device administers, queue the removal of
   * members whose certificates are now revoked (called when a newer revocation
   * list is adopted). Resolves with how many removals were queued.
   */
  removeRevokedMembers: () => Promise<number>
  /** The certificate-log head this device trusts for a department node (hex peer id): what it shows peers it meets. */
  logHead: (departmentId: string) => Uint8Array | undefined
  /** A log head a peer showed this device: throws SplitViewError (and shows it in every open conversation) when the two cannot both be honest. */
  compareLogHead: (departmentId: string, head: Uint8Array) => Promise<void>
  /** Remember an officer's certificate that the caller verified (the officers topic): a contact from now on. */
  learnOfficer: (certificate: Certificate) => Promise<void>
  /**
   * This device's own certificate was revoked (the caller verified a signed
   * revocation list naming it): from now on every change throws
   * DeviceRevokedError and every conversation reads as closed. Emits 'revoked' once.
   */
  markRevoked: (notice: RevocationNotice) => void
  /** What this device knows of its own revocation; undefined while its certificate stands. */
  revocation: () => RevocationNotice | undefined
  /**
   * A check of this device's own revocation is under way (a node refused our
   * certificate): changes wait for it, so they fail as revoked rather than queue.
   */
  checkingRevocation: (check: Promise<unknown>) => void
  // --- calls (node/src/calls, docs/calls.md) ---
  /** The conversation's members by MLS leaf, at its current epoch. */
  callRoster: (conversationId: string) => Promise<CallRoster>
  /** MLS-Exporter("dak call", callId, 32) at `epoch` (CallKeysOutOfStepError at another): the call's SFrame secret. */
  callSecret: (conversationId: string, callId: Uint8Array, epoch: string) => Promise<Uint8Array>
  /** A line for a call in the history, on this device only, once per call. */
  recordCallLine: (line: { conversationId: string, callId: string, text: string, at: number, missed: boolean }) => Promise<void>
}

/**
 * Assemble the messenger over its ports: inbox, outbox worker, membership,
 * catch-up and key-package stock, wired to events from the mesh and the
 * department nodes. Thin on purpose: each part lives in its own module.
 */
export async function createMessenger (components: MessengerComponents): Promise<DakMessenger> {
  const emitter = new MessengerEmitter()
  let revoked = components.revoked
  let revocationCheck: Promise<unknown> = Promise.resolve()
  let kickWorker = (): void => {}
  const ctx: EngineContext = {
    store: components.store,
    mesh: components.mesh,
    departments: components.departments,
    keys: components.keys,
    verifyContext: components.verifyContext,
    now: components.now ?? Date.now,
    randomBytes: components.randomBytes ?? nodeRandomBytes,
    emitter,
    groups: new GroupStates(components.store),
    serial: serialQueue(),
    kick: () => { kickWorker() },
    revoked: () => revoked,
    maxRetentionMs: components.maxRetentionMs ?? (() => undefined)
  }
  const directory = new Directory(ctx)
  const schedule = components.schedule ?? unrefSchedule
  const receipts = deliveryReceipts(ctx, schedule)
  // delay-tolerant carry: envelopes kept and handed to members and department nodes that lack them (carry.ts)
  const carry = createCarry(ctx, () => incoming)
  const incoming = createIncoming(ctx, directory, receipts, carry)
  const known = new Set<string>((await ctx.store.peers.list()).map(p => p.deviceKey))
  known.add(toHex(ctx.keys.device.publicKey))
  const watch = transparencyWatch(ctx, async () => await directory.certificates())
  const learn = directory.learn.bind(directory)
  directory.learn = async (certificate) => {
    const deviceKey = toHex(certificate.devicePublicKey)
    const first = !known.has(deviceKey)
    known.add(deviceKey)
    await learn(certificate)
    // a device met for the first time: is its certificate in the department's log? (reported, never thrown at the learner)
    if (first) void watch.check(certificate).catch((err: unknown) => { emitter.emit('error', errorDetail(err)) })
  }

  let queued = await ctx.store.outbox.size()
  const status = (): ConnectionStatus => {
    const departmentNodes = ctx.departments.connected().length
    const peers = ctx.mesh.verifiedPeers().length
    const certificate = revoked != null ? 'revoked' : ctx.now() >= ctx.keys.certificate.notAfter ? 'expired' : 'valid'
    return { mode: departmentNodes > 0 ? 'department' : peers > 0 ? 'peer-to-peer' : 'offline', departmentNodes, peers, queued, certificate }
  }
  let stopped = false
  const stopping = new AbortController()
  const refreshStatus = async (): Promise<void> => {
    if (stopped) return
    try {
      queued = await ctx.store.outbox.size()
    } catch {
      return // the store closed under us while stopping
    }
    emitter.emit('status', status())
  }

  const worker = startOutboxWorker(ctx, {
    membership: membershipRunner(ctx, directory, async (winner) => { await incoming.accept(winner) }),
    afterPass: () => { void refreshStatus() }
  })
  kickWorker = worker.kick

  // closed conversations are history only: nothing said there since is for this device
  const topics = async (): Promise<string[]> => [inboxTopic(ctx.keys.device.publicKey), ...(await ctx.store.conversations.list()).filter(c => c.closed == null).map(c => c.id)]
  const registerEverywhere = async (): Promise<void> => {
    const all = await topics()
    await Promise.all(ctx.departments.connected().map(async d => { await d.registerTopics(all).catch((err) => { log('registering topics at a department node failed (done again on its next connection): %e', err) }) }))
  }
  const follow = (conversationId: string): void => {
    ctx.mesh.subscribe(conversationId)
    void (async () => {
      await registerEverywhere()
      // What was sent between our Welcome and our subscription reaching the mesh went only to the store.
      for (const department of ctx.departments.connected()) {
        await catchUpJoined(ctx, incoming, department, conversationId).catch((err: unknown) => { emitter.emit('error', errorDetail(err)) })
      }
    })()
  }
  incoming.onJoined(follow)
  // a gap seen live (gossip lost one, or it is still on its way): ask the stores again a little later, once at a time
  let repairPending = false
  incoming.onGap(() => {
    if (repairPending) return
    repairPending = true
    schedule(GAP_REPAIR_DELAY_MS, () => {
      repairPending = false
      if (stopped) return
      // a member in reach may have what is missing (issue 12: repair from a member), with or without a node
      meetings.repairFromMembers()
      if (ctx.departments.connected().length === 0) return
      repairGaps(ctx, incoming, ctx.departments.connected()).catch((err: unknown) => { emitter.emit('error', errorDetail(err)) })
    })
  })
  for (const topic of await topics()) ctx.mesh.subscribe(topic)

  const offEnvelope = ctx.mesh.onEnvelope((envelope) => {
    // the link carries again (after a quiet spell that failed some attempts): retry those now
    worker.heardFromNetwork()
    incoming.accept(envelope).catch((err: unknown) => { emitter.emit('error', errorDetail(err)) })
  })
  // what meeting a peer is for: log heads, carry, the directory (peer-meetings.ts)
  const meetings = peerMeetings({
    ctx,
    emitter,
    directory,
    watch,
    carry,
    stopped: () => stopped,
    meshedWithNode: nodeMeshCatchUp(ctx, incoming),
    peersChanged: async () => {
      worker.kick()
      await refreshStatus()
    }
  })
  // disappearing messages: expired ones go at open, then as each comes due
  // real time, not the receipts' schedule (tests fire that one on cue): an expiry is a wall-clock promise
  const sweep = expirySweep(ctx, unrefSchedule, async (conversationId) => {
    const conversation = await ctx.store.conversations.get(conversationId)
    if (conversation != null) emitter.emit('conversation', await summarise(ctx, directory, conversation))
  })
  const offExpiring = emitter.on('message', (message) => { if (message.expiresAt != null) sweep.expiresAt(message.expiresAt) })
  await sweep.start()
  const attachments = await startAttachments(ctx, components.chunks ?? noChunkNetwork, components.attachments)
  await ctx.mesh.serveKeyPackages(async () => await lanKeyPackage(ctx))
  await ctx.mesh.serveLogHeads?.(() => watch.heads())
  await ctx.mesh.serveCarry?.(carry.answer)
  void carry.pruneAll().catch((err: unknown) => { if (!stopped) emitter.emit('error', errorDetail(err)) })
  await ctx.mesh.serveEnvelopes(async (bytes) => {
    const envelope = openEnvelope(bytes, ctx.now())
    if (!known.has(toHex(envelope.sender))) throw new UnknownSenderError('envelope from a device this node does not know')
    await incoming.accept(envelope)
  })

  // what a connected department node is for: register, learn, catch up, deposit, key packages (department-sessions.ts)
  const sessions = departmentSessions({
    ctx,
    emitter,
    incoming,
    directory,
    watch,
    carry,
    worker,
    topics,
    schedule: components.schedule ?? unrefSchedule,
    stopping: stopping.signal,
    revoked: () => revoked != null,
    headsChanged: () => { meetings.headsChanged() },
    repairFromMembers: () => { meetings.repairFromMembers() },
    refreshStatus
  })
  sessions.start()
  worker.kick()

  /** Both officers with every current device each (a new device changes the number on both sides). */
  const safetyParties = async (handle: string): Promise<{ mine: SafetyParty, theirs: SafetyParty }> => {
    const theirs = await directory.require(handle)
    const mine = (await directory.devices(ctx.keys.certificate.handle)).map(d => fromHex(d.deviceKey))
    return {
      mine: { devicePublicKeys: mine, handle: ctx.keys.certificate.handle },
      theirs: { devicePublicKeys: theirs.map(c => c.devicePublicKey), handle }
    }
  }
  const requireConversation = async (id: string) => {
    const conversation = await ctx.store.conversations.get(id)
    if (conversation == null) throw new UnknownConversationError(`no conversation ${id}`)
    return conversation
  }
  /** Changes wait for a revocation check under way, then refuse on a revoked device. */
  const requireValid = async (): Promise<void> => {
    await revocationCheck.catch(() => undefined)
    if (revoked != null) throw new DeviceRevokedError(revokedMessage(revoked))
  }
  /** A conversation this device can still write to. */
  const requireWritable = async (id: string) => {
    await requireValid()
    let conversation = await requireConversation(id)
    // a direct chat whose other officer's access was withdrawn (and who is still a member): closed now, for good
    const ended = await revokedOther(ctx, conversation)
    if (ended != null) {
      await ctx.store.conversations.update(id, { closed: ended })
      conversation = await requireConversation(id)
      emitter.emit('conversation', await summarise(ctx, directory, conversation))
    }
    if (conversation.closed == null) return conversation
    const summary = await summarise(ctx, directory, conversation)
    return requireOpen(conversation, summary.title, summary.closed?.by?.displayName)
  }

  // issue 16: everyday messaging and directives (everyday.ts, amend.ts, directive-reminders.ts)
  const everyday = everydayMessaging(ctx, directory, {
    writable: requireWritable,
    emitConversation: async (id) => { emitter.emit('conversation', await summarise(ctx, directory, await requireConversation(id))) }
  })
  const reminders = directiveReminders(ctx, schedule, everyday.directiveStatus)
  const offReminderWatch = [
    emitter.on('message', (m) => { if (m.directive != null) void reminders.watch(m.id) }),
    // an own directive gets its envelope id when sealed: watch it under that id
    emitter.on('message-state', (e) => { if (e.previousId != null) void reminders.watch(e.id) })
  ]
  await reminders.watchAll()

  return {
    ...everyday,
    whoami: () => officerOf(ctx.keys.certificate),
    contacts: async () => await directory.contacts(),
    conversations: async () => await Promise.all((await ctx.store.conversations.list()).map(async c => await summarise(ctx, directory, c))),
    async startDirect (handle) {
      await requireValid()
      for (const c of await ctx.store.conversations.list()) {
        if (c.kind === 'direct' && c.members.some(m => m.handle === handle)) return await summarise(ctx, directory, c)
      }
      return await createConversation(ctx, directory, 'direct', '', [handle], follow)
    },
    async createGroup (title, handles) {
      await requireValid()
      return await createConversation(ctx, directory, 'group', title, handles, follow)
    },
    async addMembers (conversationId, handles) {
      const conversation = await requireWritable(conversationId)
      for (const handle of handles) await directory.require(handle)
      const invited = [...new Set([...(conversation.invited ?? []), ...handles])]
      await ctx.store.conversations.update(conversationId, { invited })
      await queueMembership(ctx, conversationId, { add: handles, remove: [], info: { title: conversation.kind === 'direct' ? officerOf(ctx.keys.certificate).displayName : conversation.title, direct: conversation.kind === 'direct' } })
    },
    async removeMember (conversationId, handle) {
      const conversation = await requireWritable(conversationId)
      const keys = conversation.members.filter(m => m.handle === handle).map(m => m.deviceKey)
      await queueMembership(ctx, conversationId, { add: [], remove: keys })
    },
    async leave (conversationId) {
      await requireValid()
      await leaveConversation(ctx, conversationId)
    },
    async send (conversationId, text, options) {
      await requireWritable(conversationId)
      if (options?.precedence !== undefined) checkPrecedence(options.precedence)
      const message = options?.replyTo != null ? await everyday.reply(conversationId, text, options.replyTo, options.precedence) : await queueText(ctx, conversationId, text, options?.precedence)
      void refreshStatus()
      return message
    },
    async sendFile (conversationId, file) {
      await requireWritable(conversationId)
      const message = await attachments.sendFile(conversationId, file)
      void refreshStatus()
      return message
    },
    download: async (messageId, options) => await attachments.download(messageId, options),
    fileStatus: async (messageId) => await attachments.fileStatus(messageId),
    autoDownload: async () => await attachments.autoDownload(),
    setAutoDownload: async (bytes) => await attachments.setAutoDownload(bytes),
    async setTimer (conversationId, timerMs) {
      const conversation = await requireWritable(conversationId)
      const { line } = await setTimer(ctx, conversation, timerMs)
      emitter.emit('message', line)
      const updated = await requireConversation(conversationId)
      const summary = await summarise(ctx, directory, updated)
      emitter.emit('conversation', summary)
      return summary
    },
    async markRead (conversationId) {
      const page = await ctx.store.messages.history(conversationId, { limit: 100 })
      const unread = page.messages.filter(m => !m.fromMe && m.state === 'received' && /^[0-9a-f]{64}$/.test(m.id))
      await ctx.store.messages.markRead(conversationId)
      // receipts only from a device still in the conversation (and in its department)
      const conversation = await ctx.store.conversations.get(conversationId)
      if (unread.length > 0 && revoked == null && conversation != null && conversation.closed == null) await queueControl(ctx, conversationId, { kind: 'receipt', type: 'read', messageIds: unread.map(m => fromHex(m.id)), at: ctx.now(), clientId: ctx.randomBytes(16) })
      if (conversation != null) emitter.emit('conversation', await summarise(ctx, directory, conversation))
    },
    async safetyNumber (handle) {
      const { mine, theirs } = await safetyParties(handle)
      return safetyNumber(mine, theirs)
    },
    async verifySafetyQr (handle, payload) {
      const { mine, theirs } = await safetyParties(handle)
      return compareSafetyQr(payload, mine, theirs)
    },
    devices: async (handle) => await directory.devices(handle),
    historyTransfers: async () => (await ctx.store.historyTransfers.list()).map(statusOf),
    async acceptDevice (handle, deviceKey) {
      const key = deviceKey.toLowerCase()
      const matching = (await directory.devices(handle)).filter(d => !d.thisDevice && (key.length >= 12 ? d.deviceKey.startsWith(key) : d.deviceKey === key))
      if (matching.length !== 1) throw new UnknownDeviceError(matching.length === 0 ? `${handle} has no device ${deviceKey}` : `${deviceKey} names ${matching.length} devices of ${handle}: give more digits`)
      return await directory.accept(matching[0]!.deviceKey)
    },
    async linkDevice () {
      await requireValid()
      return await requestLinkCode(ctx)
    },
    async vouchDevice (deviceKey) {
      await requireValid()
      return await vouchFor(ctx, directory, deviceKey)
    },
    async removeOwnDevice (deviceKey) {
      await requireValid()
      return await removeOwnDevice(ctx, directory, deviceKey)
    },
    status,
    on: (event, listener) => emitter.on(event, listener),
    async stop () {
      stopped = true
      stopping.abort()
      reminders.stop()
      for (const off of offReminderWatch) off()
      offEnvelope()
      meetings.stop()
      sessions.stop()
      offExpiring()
      await sweep.stop()
      await attachments.stop()
      worker.stop()
      await worker.idle()
      await ctx.serial(async () => undefined)
      // Pending delivery receipts go to the outbox (durable), to be sent after the next start.
      await receipts.stop()
    },
    idle: async () => {
      // a department connection's start-up steps too (catch-up, key packages)
      await sessions.idle()
      await worker.idle()
      await ctx.serial(async () => undefined)
    },
    markRevoked (notice) {
      if (revoked != null) return
      revoked = notice
      emitter.emit('revoked', { at: notice.at, department: notice.department })
      void refreshStatus()
    },
    revocation: () => revoked,
    checkingRevocation (check) {
      const previous = revocationCheck
      revocationCheck = Promise.allSettled([previous, check])
    },
    async catchUp () {
      let total = 0
      for (const department of ctx.departments.connected()) total += await catchUp(ctx, incoming, department, topics)
      if (await anyMissing(ctx)) meetings.repairFromMembers()
      for (const department of ctx.departments.connected()) await carry.depositCarried(department)
      return total
    },
    isKnownDevice: (deviceKey) => known.has(toHex(deviceKey)),
    // --- calls ---
    callRoster: async (conversationId) => await callRoster(ctx, conversationId),
    callSecret: async (conversationId, callId, epoch) => await callSecret(ctx, conversationId, callId, epoch),
    recordCallLine: async (line) => { await recordCallLine(ctx, line) },
    logHead: (departmentId) => watch.headOf(departmentId),
    compareLogHead: async (departmentId, head) => { await watch.compareHead(departmentId, head) },
    learnOfficer: async (certificate) => { await directory.learn(certificate) },
    async removeRevokedMembers () {
      if (revoked != null) return 0
      let queuedRemovals = 0
      for (const conversation of await ctx.store.conversations.list()) {
        const state = await ctx.groups.get(conversation.groupId)
        if (state == null || isRemoved(state) || !isAdmin(policyOf(state), ctx.keys.device.publicKey)) continue
        const revoked = auditMembers(state, ctx.verifyContext()).filter(p => p.problem.name === 'RevokedCertificateError').map(p => toHex(p.certificate.devicePublicKey))
        if (revoked.length === 0) continue
        await queueMembership(ctx, conversation.id, { add: [], remove: revoked })
        queuedRemovals += revoked.length
      }
      return queuedRemovals
    },
    async receiveEnvelope (bytes) {
      const envelope = openEnvelope(bytes, ctx.now())
      if (!known.has(toHex(envelope.sender))) throw new UnknownSenderError('envelope from a device this node does not know')
      await incoming.accept(envelope)
    }
  }
}

/** How long a gap seen live may be a message still on its way (gossip reorders) before the stores are asked. */
const GAP_REPAIR_DELAY_MS = 5_000

/** An envelope signed by a device with no valid certificate known here. */
export class UnknownSenderError extends DakError { override name = 'UnknownSenderError' }

export class UnknownConversationError extends DakError { override name = 'UnknownConversationError' }
