import { componentLogger } from '../log.js'
import type { Carry } from './carry.js'
import { catchUp } from './catch-up.js'
import { forgetTopicReads } from './topic-reads.js'
import { anyMissing } from './gaps.js'
import { withCatchUpRetries } from './catch-up-retry.js'
import type { EngineContext, Schedule } from './context.js'
import type { Directory } from './directory.js'
import { learnSettings } from './edit-window.js'
import { errorDetail, type MessengerEmitter } from './events.js'
import type { Incoming } from './incoming.js'
import { stockKeyPackages } from './key-stock.js'
import type { OutboxWorker } from './outbox-worker.js'
import type { DepartmentPort } from './ports.js'
import type { TransparencyWatch } from './transparency.js'

/**
 * Longest a key-package top-up waits for the outbox pass in progress (texts
 * first on a slow link); past it the top-up runs alongside, so a busy outbox
 * cannot leave the node without this device's key packages.
 */
export const KEY_STOCK_WAITS_FOR_OUTBOX_MS = 60_000

const log = componentLogger('messenger:department')

/** A refusal by a peer's rate limit (node/src/net/limit-errors.ts), by name: it may cross the wire as { name, message }. */
function isRateLimited (err: unknown): boolean {
  return err instanceof Error && err.name === 'RateLimitedError'
}

export interface DepartmentSessionParts {
  ctx: EngineContext
  emitter: MessengerEmitter
  incoming: Incoming
  directory: Directory
  watch: TransparencyWatch
  carry: Carry
  worker: OutboxWorker
  /** The topics this device registers: its inbox and every open conversation. */
  topics: () => Promise<string[]>
  schedule: Schedule
  stopping: AbortSignal
  /** A revoked device starts no session. */
  revoked: () => boolean
  /** A node's log head is in hand: compare it with the peers here (peer-meetings.ts). */
  headsChanged: () => void
  /** Ask the members in reach for what the stores lacked (peer-meetings.ts). */
  repairFromMembers: () => void
  refreshStatus: () => Promise<void>
}

export interface DepartmentSessions {
  /** Start a session with every node connected now, and with each that connects later. */
  start: () => void
  /** Resolves when no session is starting. */
  idle: () => Promise<void>
  stop: () => void
}

/**
 * What a newly connected department node is for: register our topics, learn
 * the directory and the settings (all at once), then catch up while checking
 * its certificate log, deposit what this device carried, then keep our
 * key-package stock there. Each step runs whatever happened to the one before and
 * reports its own failure; a failed step makes the next connection event try
 * again. One session per node and connection.
 */
export function departmentSessions (parts: DepartmentSessionParts): DepartmentSessions {
  const { ctx, emitter, incoming, directory, watch, carry, worker } = parts
  const welcomed = new Set<string>()
  const starting = new Set<Promise<void>>()

  const session = async (department: DepartmentPort): Promise<void> => {
    if (parts.revoked()) return
    forgetTopicReads(ctx, department.id)
    let failed = false
    const step = async (work: () => Promise<unknown>): Promise<boolean> => {
      try {
        await work()
        return true
      } catch (err) {
        failed = true
        // the node asked us to slow down (many reconnects in a short time): a chore for the next
        // connection, not an error for the officer; anything else is reported
        if (!isRateLimited(err)) emitter.emit('error', errorDetail(err))
        return false
      }
    }
    // On 2G every request in this chain is a round trip or two of 400 ms or more, and a cold
    // `dak send` waits for the catch-up's end before it seals: so only what the catch-up needs
    // comes before it — the topics registered and the directory — with the settings alongside
    // (edit window, lock, automatic downloads), all at once. The certificate-log audit (a head,
    // then an inclusion proof per certificate) needs the directory but the catch-up does not
    // need the audit, so it runs beside the catch-up (docs/field.md, section 9).
    const started = Date.now()
    await Promise.all([
      step(async () => await department.registerTopics(await parts.topics())),
      step(async () => await directory.learnUnverified(await department.directory())),
      step(async () => { await learnSettings(ctx, department) })
    ])
    log('%s: topics, directory and settings after %d ms', department.id, Date.now() - started)
    const audited = step(async () => { await watch.onDepartment(department) }).then(() => {
      log('%s: certificate log audited after %d ms', department.id, Date.now() - started)
      parts.headsChanged()
    })
    const caughtUp = await step(async () => await withCatchUpRetries({
      schedule: parts.schedule,
      emitter,
      stillConnected: () => ctx.departments.connected().some(d => d.id === department.id),
      stopping: parts.stopping
    }, async () => await catchUp(ctx, incoming, department, parts.topics)))
    log('%s: caught up after %d ms', department.id, Date.now() - started)
    worker.pathOpened() // what backed off while this node was out of reach goes now, not after its backoff
    await audited
    // what neither this node nor any other in reach had (withheld, or pruned): a member in reach may keep it
    await step(async () => { if (await anyMissing(ctx)) parts.repairFromMembers() })
    // what this device carried from members that the node may lack (idempotent there: a known one is answered with its receipt)
    await step(async () => await carry.depositCarried(department))
    // the link budget (issue 11 part 4): key packages are for conversations others may start
    // later, so the top-up waits for what the outbox has to send now, up to a bound
    await worker.settled(KEY_STOCK_WAITS_FOR_OUTBOX_MS)
    if (parts.stopping.aborted) return // stopped while waiting: the next start tops up
    // after the catch-up: a Welcome the node held for us has used its key package by then, so pruning cannot take it
    await step(async () => await stockKeyPackages(ctx, department, { prune: caughtUp }))
    if (failed) welcomed.delete(department.id)
  }

  const welcome = (department: DepartmentPort): void => {
    welcomed.add(department.id)
    const run = session(department).finally(() => { starting.delete(run) })
    starting.add(run)
  }

  let offDepartments: (() => void) | undefined
  return {
    start () {
      offDepartments = ctx.departments.onChange(() => {
        for (const department of ctx.departments.connected()) {
          if (!welcomed.has(department.id)) welcome(department)
        }
        for (const id of welcomed) if (!ctx.departments.connected().some(d => d.id === id)) welcomed.delete(id)
        void parts.refreshStatus()
      })
      for (const department of ctx.departments.connected()) welcome(department)
    },
    async idle () {
      while (starting.size > 0) await Promise.all([...starting])
    },
    stop () {
      offDepartments?.()
    }
  }
}
