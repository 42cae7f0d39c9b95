import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { MAX_EVIDENCE_BYTES, RevocationState, TrustStore, verifyEvidence, type VerifiedEvidence } from '@dak/protocol'
import type { DirectiveStatus } from '../../messenger/api.js'
import type { Run } from '../command.js'
import { reportPending } from './after-change.js'
import { EvidenceRefusedError, UsageError } from '../errors.js'
import { EXIT } from '../exit-codes.js'
import { messageText } from '../message-input.js'
import { parseDeadline, resolveMessage } from '../message-ref.js'
import { resolveConversation } from '../resolve.js'
import { withSession } from '../session.js'
import { precedenceFlag } from '../precedence-flag.js'

/**
 * `dak directive send|ack|status|export` and `dak verify` (issue 16): official
 * directives signed by the sender's device key, acknowledgements signed by
 * each addressee's, and an evidence file anyone with the department's trust
 * bundle can check offline.
 */

const when = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC'

export const directiveSend: Run = async (ctx) => {
  const [conversationRef, argument] = ctx.args.positionals as [string, string | undefined]
  const precedence = precedenceFlag(ctx) // issue 11 part 4
  const text = await messageText(ctx, argument)
  const deadlineFlag = ctx.args.strings.get('deadline')
  const deadline = deadlineFlag != null ? parseDeadline(deadlineFlag, Date.now()) : undefined
  return await withSession(ctx, 10, async (session) => {
    await session.goOnline()
    const conversation = await resolveConversation(session.messenger, conversationRef)
    const message = await session.messenger.sendDirective(conversation.id, text, { ...(deadline != null ? { deadline } : {}), ...(precedence != null ? { precedence } : {}) })
    reportPending(session.out, await session.settle())
    session.out.result(message, `directive queued to ${conversation.title}${deadline != null ? `, due ${when(deadline)}` : ''} (dak directive status once it is sent: dak history --ids shows its id)`)
    return EXIT.ok
  })
}

export const directiveAck: Run = async (ctx) => {
  const [conversationRef, messageRef] = ctx.args.positionals as [string, string]
  return await withSession(ctx, 10, async (session) => {
    await session.goOnline()
    const conversation = await resolveConversation(session.messenger, conversationRef)
    const target = await resolveMessage(session.messenger, messageRef, conversation.id)
    const message = await session.messenger.acknowledgeDirective(conversation.id, target.id)
    reportPending(session.out, await session.settle())
    session.out.result(message, `acknowledged (signed) at ${when(message.directive?.acknowledgedAt ?? Date.now())}: ${message.text}`)
    return EXIT.ok
  })
}

function statusText (s: DirectiveStatus): string {
  const label = { acknowledged: 'acknowledged', read: 'read, not acknowledged', delivered: 'received, not read', 'not-received': 'not received' }
  return [
    `directive ${s.id.slice(0, 12)} issued ${when(s.issuedAt)}${s.deadline != null ? `, due ${when(s.deadline)}` : ''}: ${s.text}`,
    `${s.counts.acknowledged} acknowledged, ${s.counts.read} read, ${s.counts.delivered} received, ${s.counts.notReceived} not received`,
    ...s.addressees.map(a => `  ${a.officer.displayName} (${a.officer.handle}): ${label[a.state]}${a.at != null ? ` ${when(a.at)}` : ''}`)
  ].join('\n')
}

export const directiveStatus: Run = async (ctx) => {
  const [messageRef] = ctx.args.positionals as [string]
  return await withSession(ctx, 5, async (session) => {
    await session.goOnline()
    const message = await resolveMessage(session.messenger, messageRef)
    const status = await session.messenger.directiveStatus(message.id)
    session.out.result(status, statusText(status))
    return EXIT.ok
  })
}

export const directiveExport: Run = async (ctx) => {
  const [messageRef] = ctx.args.positionals as [string]
  const out = resolve(ctx.io.cwd, ctx.args.strings.get('out') as string)
  return await withSession(ctx, 5, async (session) => {
    await session.goOnline()
    const message = await resolveMessage(session.messenger, messageRef)
    const evidence = await session.messenger.exportDirective(message.id)
    await writeFile(out, evidence, { flag: 'wx' })
    session.out.result({ id: message.id, file: out, bytes: evidence.length }, `wrote ${out}: the directive and its signed acknowledgements (dak verify ${out})`)
    return EXIT.ok
  })
}

async function readBounded (path: string, max: number, what: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(await readFile(path))
  if (bytes.length > max) throw new UsageError(`${what} ${path} is over ${max} bytes`)
  return bytes
}

function verifiedText (file: string, v: VerifiedEvidence): string {
  const d = v.directive
  return [
    `${file}: verified. Every signature is genuine and names this directive.`,
    `directive by ${d.certificate.displayName} (${d.certificate.handle}, ${d.certificate.title}, ${d.certificate.department}), issued ${when(d.issuedAt)}${d.deadline != null ? `, due ${when(d.deadline)}` : ''}:`,
    `  ${d.text}`,
    `${v.acks.length} signed acknowledgement(s):`,
    ...v.acks.map(a => `  ${a.certificate.displayName} (${a.certificate.handle}, ${a.certificate.title}) at ${when(a.acknowledgedAt)}${d.deadline != null && a.acknowledgedAt > d.deadline ? ' (after the deadline)' : ''}`)
  ].join('\n')
}

/**
 * Check an evidence file offline. The trust bundle and revocation lists are
 * --trust/--revocations files (an auditor's), or else this device's own: the
 * data directory is opened, nothing is dialled.
 */
export const verify: Run = async (ctx) => {
  const [fileArg] = ctx.args.positionals as [string]
  const file = resolve(ctx.io.cwd, fileArg)
  const evidence = await readBounded(file, MAX_EVIDENCE_BYTES, 'evidence file')
  const trustFile = ctx.args.strings.get('trust')
  const revocationFiles = ctx.args.lists.get('revocations') ?? []
  const check = (trust: TrustStore, lists: Uint8Array[]): VerifiedEvidence => {
    const revocations = new RevocationState()
    for (const list of lists) revocations.accept(list, trust)
    try {
      return verifyEvidence(evidence, { trust, revocations, now: Date.now() })
    } catch (err) {
      const e = err as Error
      throw new EvidenceRefusedError(`${fileArg} does not verify: ${e.name}: ${e.message}`, { cause: err })
    }
  }
  let verified: VerifiedEvidence
  if (trustFile != null) {
    const trust = TrustStore.decode(await readBounded(resolve(ctx.io.cwd, trustFile), 1024 * 1024, 'trust bundle'))
    verified = check(trust, await Promise.all(revocationFiles.map(async f => await readBounded(resolve(ctx.io.cwd, f), 4 * 1024 * 1024, 'revocation list'))))
  } else {
    if (revocationFiles.length > 0) throw new UsageError('--revocations goes with --trust (without them, this device\'s own are used)')
    verified = await withSession(ctx, 0, async (session) => {
      const identity = await session.device.store.identity.get()
      if (identity.trustBundle == null) throw new UsageError('this device holds no trust bundle: give --trust FILE')
      return check(TrustStore.decode(identity.trustBundle), (await session.device.store.identity.revocationLists()).map(l => l.list))
    })
  }
  ctx.out.result({ file, directiveId: Buffer.from(verified.directiveId).toString('hex'), directive: { ...verified.directive, certificate: verified.directive.certificate.handle }, acks: verified.acks.map(a => ({ handle: a.certificate.handle, displayName: a.certificate.displayName, acknowledgedAt: a.acknowledgedAt })) }, verifiedText(fileArg, verified))
  return EXIT.ok
}
