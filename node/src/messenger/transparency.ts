import { bytesEqual, LogAuditor, NotInLogError, SplitViewError, toHex, type Certificate } from '@dak/protocol'
import type { ChatMessage } from './api.js'
import type { EngineContext } from './context.js'
import { errorDetail } from './events.js'
import { sharedWith, shortDeviceKey } from './new-devices.js'
import { officerOf } from './officers.js'
import type { DepartmentPort } from './ports.js'
import { componentLogger } from '../log.js'

const log = componentLogger('messenger:transparency')

/** Certificates checked per department connection: a department's worth of contacts, bounded. */
const MAX_AUDITED_PER_CONNECTION = 256
/** Inclusion proofs asked for at once: within the node's per-peer request limits, enough to fill a slow link's round trip. */
const AUDITS_IN_FLIGHT = 4

/**
 * The device's side of the certificate transparency log (docs/messenger.md,
 * *Certificate log*). For each department node it reaches it keeps a
 * LogAuditor, starting from the largest head it verified before (kept in the
 * store: a node that shows a smaller or another tree after a restart is a
 * split view, as it would be without the restart), checks that the certificates it uses of its own department are in a log,
 * and compares log heads other devices show it. A certificate no reachable
 * node has logged, or a split view, is an `error` event with the typed error
 * and a system line in the conversations it concerns.
 */
export interface TransparencyWatch {
  /** A department node is reachable: move to its head and check this device's contacts of its department. */
  onDepartment: (department: DepartmentPort) => Promise<void>
  /** A certificate was learnt: check it is logged (its department's only; others' nodes are not reachable from here). */
  check: (certificate: Certificate) => Promise<void>
  /** A head another device showed us: throws SplitViewError (also reported) when it and ours cannot both be honest. */
  compareHead: (departmentId: string, head: Uint8Array) => Promise<void>
  /** The head this device trusts for a department node (to show peers). */
  headOf: (departmentId: string) => Uint8Array | undefined
  /** Every head this device trusts. */
  heads: () => Uint8Array[]
  /** Compare each head a peer showed with ours of the same log; logs this device does not audit are skipped. */
  compareHeads: (heads: Uint8Array[]) => Promise<number>
}

export function transparencyWatch (ctx: EngineContext, peers: () => Promise<Certificate[]>): TransparencyWatch {
  const auditors = new Map<string, LogAuditor>()
  const reported = new Set<string>()

  const opening = new Map<string, Promise<LogAuditor>>()
  const saved = new Map<string, Uint8Array>()

  /** The department's auditor, made once from the head this device trusted before (if any). */
  async function auditorFor (department: DepartmentPort): Promise<LogAuditor | undefined> {
    const { log: source, nodeKey } = department
    if (source == null || nodeKey == null) return undefined
    let auditor = opening.get(department.id)
    if (auditor == null) {
      auditor = (async () => {
        const logKey = toHex(nodeKey)
        const stored = await ctx.store.identity.logHead(logKey)
        let made: LogAuditor
        try {
          made = new LogAuditor(nodeKey, source, stored)
          if (stored != null) saved.set(logKey, stored)
        } catch (err) {
          // not a head of this log (another key, or damaged): start from the node's, as a new device does
          log('the stored head of log %s does not open (%e): starting afresh', logKey.slice(0, 12), err)
          made = new LogAuditor(nodeKey, source)
        }
        auditors.set(department.id, made)
        return made
      })()
      opening.set(department.id, auditor)
    }
    return await auditor
  }

  /** Keep the head the auditor moved to, so the next start begins there. */
  async function keep (auditor: LogAuditor): Promise<void> {
    const head = auditor.head
    if (head == null) return
    const logKey = toHex(head.logKey)
    if (bytesEqual(saved.get(logKey) ?? new Uint8Array(0), head.bytes)) return
    saved.set(logKey, head.bytes)
    await ctx.store.identity.putLogHead(logKey, head.bytes)
  }

  const ownDepartment = (certificate: Certificate): boolean =>
    certificate.department === ctx.keys.certificate.department && bytesEqual(certificate.authorityPublicKey, ctx.keys.certificate.authorityPublicKey)

  async function report (err: Error, certificate: Certificate | undefined): Promise<void> {
    const key = `${err.name}:${certificate != null ? toHex(certificate.devicePublicKey) : ''}`
    ctx.emitter.emit('error', errorDetail(err))
    if (reported.has(key)) return
    reported.add(key)
    const conversations = certificate != null ? await sharedWith(ctx, certificate.handle) : (await ctx.store.conversations.list()).filter(c => c.closed == null).map(c => c.id)
    const text = certificate != null
      ? `${certificate.displayName}'s device (${shortDeviceKey(toHex(certificate.devicePublicKey))}) is not in the department's certificate log: it may have been shown to this device only. Compare the safety number with ${certificate.displayName} and tell your department's administrator.`
      : "The department node showed this device and another one different lists of certificates. Tell your department's administrator; compare safety numbers before sharing anything sensitive."
    const sender = officerOf(certificate ?? ctx.keys.certificate)
    const messages = conversations.map((conversationId): ChatMessage => ({
      id: `log-${key}-${conversationId}`, conversationId, sender, fromMe: false, kind: 'system', text, sentAt: ctx.now(), state: 'received'
    }))
    const fresh: ChatMessage[] = []
    for (const message of messages) if (!(await ctx.store.messages.has(message.id))) fresh.push(message)
    if (fresh.length === 0) return
    await ctx.store.commit(fresh.map(message => ({ type: 'message-add', message })))
    for (const message of fresh) ctx.emitter.emit('message', message)
  }

  /** Included if any reachable node proves it; flagged only when every node that answered says it is not in its log. */
  async function checkAgainst (certificate: Certificate, departments: DepartmentPort[]): Promise<void> {
    let refused = 0
    let answered = 0
    for (const department of departments) {
      const auditor = await auditorFor(department)
      if (auditor == null) continue
      try {
        await auditor.checkIncluded('certificate', certificate.bytes)
        await keep(auditor)
        return
      } catch (err) {
        if (err instanceof SplitViewError) {
          await report(err, undefined)
          return
        }
        if (err instanceof NotInLogError) {
          answered++
          refused++
          continue
        }
        // unreachable or timed out: proves nothing either way, check again on the next connection
        ctx.emitter.emit('error', errorDetail(err))
      }
    }
    if (answered > 0 && refused === answered) await report(new NotInLogError(`${certificate.handle}'s device ${toHex(certificate.devicePublicKey).slice(0, 12)} is in no reachable department node's certificate log`), certificate)
  }

  return {
    async onDepartment (department) {
      const auditor = await auditorFor(department)
      if (auditor == null) return
      try {
        await auditor.refresh()
        await keep(auditor)
      } catch (err) {
        if (err instanceof SplitViewError) await report(err, undefined)
        throw err
      }
      const audited = [ctx.keys.certificate, ...(await peers()).filter(ownDepartment)].filter(c => c.handle !== 'node').slice(0, MAX_AUDITED_PER_CONNECTION)
      // a few proofs in flight at once: one after another cost a round trip each (2G: 400 ms and more)
      const queue = [...audited]
      const worker = async (): Promise<void> => {
        for (let certificate = queue.shift(); certificate !== undefined; certificate = queue.shift()) await checkAgainst(certificate, ctx.departments.connected())
      }
      await Promise.all(Array.from({ length: Math.min(AUDITS_IN_FLIGHT, queue.length) }, worker))
    },
    async check (certificate) {
      if (!ownDepartment(certificate) || certificate.handle === 'node') return
      await checkAgainst(certificate, ctx.departments.connected())
    },
    async compareHead (departmentId, head) {
      const department = ctx.departments.connected().find(d => d.id === departmentId)
      const auditor = department == null ? auditors.get(departmentId) : await auditorFor(department)
      if (auditor == null) return
      try {
        await auditor.compare(head)
        await keep(auditor)
      } catch (err) {
        if (err instanceof SplitViewError) await report(err, undefined)
        throw err
      }
    },
    headOf: (departmentId) => auditors.get(departmentId)?.head?.bytes,
    heads: () => [...auditors.values()].map(a => a.head?.bytes).filter((h): h is Uint8Array => h != null),
    async compareHeads (heads) {
      let compared = 0
      for (const head of heads.slice(0, 16)) {
        // the log key sits at bytes 1..33 of a head (tree-head.ts); a head of a log we do not audit tells us nothing
        const logKey = head.subarray(1, 33)
        const department = ctx.departments.connected().find(d => d.nodeKey != null && bytesEqual(d.nodeKey, logKey))
        if (department == null) continue
        await this.compareHead(department.id, head)
        compared++
      }
      return compared
    }
  }
}
