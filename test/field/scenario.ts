import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Links, type LinkStats } from './link.js'
import type { DeviceSide } from './namespaces.js'
import { Department } from './department.js'
import { dakArgv, killAll, runIn, startIn, type Followed, type Line } from './processes.js'
import type { Profile } from './profiles.js'
import { seededRandom } from './link-shaper.js'
import { startRun } from './run-log.js'
import { FIELD_DEBUG, logFileOf, makeLogDir } from './receiver-trace.js'
import { FieldBrowser } from './browser-device.js'
import { buildWebClient } from '../web/harness.js'

/**
 * One field run: a department node in the hub namespace, officers in their
 * own namespaces, set up over a clean link, then the profile's link and events
 * while the sender sends texts one `dak send` at a time and the receivers run
 * `dak listen --json`. Returns what it observed; report.ts turns it into figures.
 */

const HANDLES = ['asha', 'bala', 'chitra', 'dinesh', 'esha']
/** Time after the receivers are online before the idle window opens. */
const SETTLE_MS = 15_000
const CLEAN = { delayMs: 0, jitterMs: 0, loss: 0, rateBps: 0, queueBytes: 1 << 20 }

export interface Observed {
  profile: Profile
  seed: number
  texts: Array<{ tag: string, sentAt?: number, sendCode: number | null, sendMs: number, state?: string }>
  /** receiver handle → tag → times it was printed (ms, harness clock) */
  received: Record<string, Record<string, number[]>>
  /** receiver → ms from `dak listen` start to a department node connected and the conversation joined (undefined: never) */
  onlineMs: Record<string, number | undefined>
  idle: { ms: number, before: LinkStats, after: LinkStats }
  /** The SETTLE_MS after the receivers came online, before the idle window. */
  settle: { ms: number, before: LinkStats, after: LinkStats }
  sending: { before: LinkStats, after: LinkStats }
  vniOf: Record<string, number>
  events: string[]
  errors: Record<string, string[]>
  /** receiver → "12.3 s {status}" for each status line its `dak listen` printed (they print changes only) */
  statuses: Record<string, string[]>
  /** Receivers that were a browser page, not `dak listen`. */
  browsers: string[]
  /** Where each process's whole stderr was kept (receiver-trace.ts). */
  logDir: string
  durationMs: number
}

function tagOf (text: string): string | undefined {
  return /^field#\d+/.exec(text)?.[0]
}

/** A 100-byte text, as the goals count them. */
function textFor (i: number): string {
  const head = `field#${i} `
  return head + 'x'.repeat(100 - head.length)
}


export async function runProfile (profile: Profile, seed: number): Promise<Observed> {
  const { started, network, scratch, events, note } = await startRun()
  let browser: FieldBrowser | undefined
  let webRoot: string | undefined
  try {
    const officers = HANDLES.slice(0, profile.receivers + 1)
    network.create(officers.length)
    const side = (handle: string): DeviceSide => network.devices[officers.indexOf(handle)]!
    const links = await Links.start(network, CLEAN, seed)
    const logDir = makeLogDir(profile.name)
    note(`logs in ${logDir}`)
    if (profile.browserReceiver === true) {
      webRoot = await buildWebClient()
      note('web client built (test mode)')
    }
    const department = new Department(network.hub, join(scratch, 'node'), logFileOf(logDir, 'department-node'), webRoot)
    let node = await department.start()
    note(`department node up, peer …${String(node.lines.find(l => l.line.peerId != null)?.line.peerId).slice(-6)}`)

    const dataOf = (handle: string): string => join(scratch, handle)
    // a command given a log name keeps its debug log there (each `dak send`: where its --wait went)
    const dak = async (handle: string, args: string[], timeoutMs: number, logAs?: string): ReturnType<typeof runIn> =>
      await runIn(side(handle).ns, dakArgv(dataOf(handle), args), timeoutMs, { DAK_LISTEN: `/ip4/${side(handle).ip}/tcp/0`, ...(logAs !== undefined ? { DEBUG: FIELD_DEBUG } : {}) }, logAs !== undefined ? logFileOf(logDir, logAs) : undefined)
    const [sender, ...receivers] = officers as [string, ...string[]]
    const browserHandle = profile.browserReceiver === true ? receivers.at(-1) : undefined
    const received: Observed['received'] = {}
    for (const handle of officers) {
      if (handle !== browserHandle) { await department.enrol(handle, dak); continue }
      browser = await FieldBrowser.launch(side(handle).ns, scratch, department.caPath)
      const arrivals: Record<string, number[]> = received[handle] = {}
      await browser.onMessage((message, at) => {
        const tag = tagOf(message.text)
        if (!message.fromMe && tag != null) (arrivals[tag] ??= []).push(at)
      })
      await browser.keepConsole(join(logDir, `${handle}-browser-console.log`))
      await browser.enrol((await department.invite(handle)).link)
      note(`${handle} enrolled in a browser, on the node over ${(await browser.transports()).join(', ')}`)
    }
    const group = await dak(sender, ['group', 'create', 'Field', '--members', ...receivers, '--wait', '30', '--json'], 90_000)
    if (group.code !== 0) throw new Error(`group create failed (${String(group.code)}): ${JSON.stringify(group.lines)} ${group.stderr}`)
    note(`set up on a clean link: ${officers.join(', ')}; group "Field"`)

    // the measured phase: the profile's link from here on
    links.shape(profile.link)
    const onlineMs: Observed['onlineMs'] = {}
    const errors: Observed['errors'] = {}
    const statuses: Observed['statuses'] = {}
    const listeners = new Map<string, Followed>()
    const startListener = (handle: string): Followed => {
      const listener = startIn(side(handle).ns, dakArgv(dataOf(handle), ['listen', '--json']), { DAK_LISTEN: `/ip4/${side(handle).ip}/tcp/0`, DEBUG: FIELD_DEBUG }, 'ignore', logFileOf(logDir, handle))
      received[handle] ??= {}
      errors[handle] ??= []
      statuses[handle] ??= []
      listener.onLine((line: Line, at: number) => {
        if (line.event === 'listening') note(`${handle}'s dak listen is peer …${String(line.peerId).slice(-6)}`)
        if (line.event === 'status') statuses[handle]!.push(`${((at - started) / 1000).toFixed(1)} s ${JSON.stringify(line.status)}`)
        if (line.event === 'message' && line.message?.fromMe === false) {
          const tag = tagOf(String(line.message.text ?? ''))
          if (tag != null) (received[handle]![tag] ??= []).push(at)
        }
        if (line.event === 'error') errors[handle]!.push(`${String(line.error?.name)}: ${String(line.error?.message)}`.slice(0, 200))
      })
      listeners.set(handle, listener)
      return listener
    }
    // FIELD_TRACE_ONLINE=FILE: every packet from the receivers' start to the end of the settle
    // period, and (FILE.events) every line their `dak listen` printed meanwhile, to see where going online spends its time
    const onlineTrace = process.env.FIELD_TRACE_ONLINE
    if (onlineTrace != null) links.trace(onlineTrace)
    const onlineEvents: string[] = []
    await Promise.all(receivers.map(async (handle) => {
      if (handle === browserHandle && browser != null) {
        errors[handle] = []
        statuses[handle] = []
        try {
          const { nodeMs, caughtUpMs } = await browser.reopen()
          onlineMs[handle] = caughtUpMs
          note(`${handle} (browser, reloaded): department node after ${(nodeMs / 1000).toFixed(1)} s, caught up after ${(caughtUpMs / 1000).toFixed(1)} s, over ${(await browser.transports()).join(', ')}`)
        } catch (err) {
          note(`${handle} (browser) not online: ${(err as Error).message.split('\n')[0]!}`)
        }
        return
      }
      const begin = Date.now()
      const listener = startListener(handle)
      if (onlineTrace != null) listener.onLine((line, at) => { onlineEvents.push(`${at} ${handle} ${JSON.stringify(line).slice(0, 300)}`) })
      try {
        await listener.waitFor('a department node', l => l.event === 'status' && l.status?.departmentNodes >= 1, profile.onlineDeadlineMs)
        const connectedMs = Date.now() - begin
        await listener.waitFor('the conversation', l => l.event === 'conversation' || (l.event === 'sync' && l.finished === true), Math.max(1, profile.onlineDeadlineMs - (Date.now() - begin)))
        onlineMs[handle] = Date.now() - begin
        note(`${handle}: department node after ${(connectedMs / 1000).toFixed(1)} s, the conversation after ${(onlineMs[handle]! / 1000).toFixed(1)} s`)
      } catch (err) {
        note(`${handle} not online: ${(err as Error).message.split('\n')[0]!}`)
      }
    }))
    note(`receivers online: ${JSON.stringify(onlineMs)}`)

    // what follows coming online (receipts, key packages, the last of the catch-up) is not idle:
    // it is counted apart, and the idle window starts after it
    const settleBefore = await links.snapshot()
    await new Promise(resolve => setTimeout(resolve, SETTLE_MS))
    const idleBefore = await links.snapshot()
    if (onlineTrace != null) {
      links.trace()
      await writeFile(`${onlineTrace}.events`, onlineEvents.join('\n') + '\n')
    }
    // FIELD_TRACE=FILE: every packet of the idle window, to see what an idle link carries
    if (process.env.FIELD_TRACE != null) links.trace(process.env.FIELD_TRACE)
    await new Promise(resolve => setTimeout(resolve, profile.idleMs))
    links.trace()
    const idleAfter = await links.snapshot()
    note('idle window done')
    if (browser != null) note(`the browser's connections: ${(await browser.connectionsSummary()).join('; ')}`)

    // events around the sends: flapping, a killed node, churn
    const timers: NodeJS.Timeout[] = []
    // FIELD_TRACE_SENDS=FILE: every packet from the first send to the end of the drain
    if (process.env.FIELD_TRACE_SENDS != null) links.trace(process.env.FIELD_TRACE_SENDS)
    const sendStart = Date.now()
    if (profile.flap != null) {
      const { periodMs, downMs } = profile.flap
      const cycles = Math.ceil((profile.texts * profile.gapMs + profile.drainDeadlineMs) / periodMs)
      for (let c = 0; c < cycles; c++) {
        timers.push(setTimeout(() => { links.down(); note('link down') }, c * periodMs + (periodMs - downMs)))
        timers.push(setTimeout(() => { links.up(); note('link up') }, (c + 1) * periodMs))
      }
    }
    if (profile.churn != null) {
      const random = seededRandom(seed + 17)
      for (const handle of receivers) {
        let t = 0
        for (let step = 0; step < 50 && t < profile.texts * profile.gapMs; step++) {
          t += profile.churn.meanUpMs * (0.5 + random())
          const downAt = t
          t += profile.churn.meanDownMs * (0.5 + random())
          const vni = side(handle).index
          timers.push(setTimeout(() => { links.down(vni); note(`${handle} offline`) }, downAt))
          timers.push(setTimeout(() => { links.up(vni); note(`${handle} online`) }, t))
        }
      }
    }

    const sendingBefore = await links.snapshot()
    const texts: Observed['texts'] = []
    for (let i = 1; i <= profile.texts; i++) {
      const tag = `field#${i}`
      const result = await dak(sender, ['send', 'Field', textFor(i), '--wait', String(profile.sendWaitS), '--json'], (profile.sendWaitS + 60) * 1_000, `${sender}-send-${i}`)
      const line = result.lines.find(l => l.id != null)
      texts.push({ tag, sentAt: line?.sentAt, sendCode: result.code, sendMs: result.ms, state: line?.state })
      if (result.code !== 0) note(`send ${i}: exit ${String(result.code)} ${line?.state ?? result.stderr.split('\n').filter(Boolean).slice(-1)[0] ?? ''}`)
      if (profile.nodeKill != null && i === profile.nodeKill.afterText) {
        node.child.pid != null && process.kill(-node.child.pid, 'SIGKILL')
        await node.exited
        note('department node SIGKILLed')
        await new Promise(resolve => setTimeout(resolve, profile.nodeKill!.downMs))
        node = await department.start()
        note('department node restarted')
      }
      const wait = sendStart + i * profile.gapMs - Date.now()
      if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
    }
    note(`sent ${texts.length}; ${texts.filter(t => t.sendCode === 0).length} exited 0`)
    // the sender keeps the app open afterwards, so what is still in its outbox goes out
    startListener(sender)
    const everyone = (): boolean => receivers.every(h => texts.every(t => (received[h]?.[t.tag]?.length ?? 0) > 0))
    const drainEnd = Date.now() + profile.drainDeadlineMs
    while (!everyone() && Date.now() < drainEnd) await new Promise(resolve => setTimeout(resolve, 250))
    // a short quiet period so late duplicates are counted too
    await new Promise(resolve => setTimeout(resolve, 3_000))
    const sendingAfter = await links.snapshot()
    if (process.env.FIELD_TRACE_SENDS != null) links.trace()
    for (const t of timers) clearTimeout(t)
    note(everyone() ? 'every receiver has every text' : 'drain deadline reached')
    if (browserHandle != null && browser != null) errors[browserHandle]!.push(...await browser.errors())
    for (const [handle, listener] of listeners) {
      const code = await listener.stop('SIGTERM', 10_000)
      if (code !== 0) note(`${handle}'s dak listen exited ${String(code)}`)
    }
    await node.stop('SIGTERM', 10_000)
    await links.stop()
    return {
      profile, seed, texts, received, onlineMs, errors, statuses, logDir, events, browsers: browserHandle != null ? [browserHandle] : [],
      idle: { ms: profile.idleMs, before: idleBefore, after: idleAfter },
      settle: { ms: SETTLE_MS, before: settleBefore, after: idleBefore },
      sending: { before: sendingBefore, after: sendingAfter },
      vniOf: Object.fromEntries(officers.map(h => [h, side(h).index])),
      durationMs: Date.now() - started
    }
  } finally {
    await browser?.close().catch(() => undefined)
    if (webRoot != null) await rm(webRoot, { recursive: true, force: true })
    await killAll()
    network.destroy()
    await rm(scratch, { recursive: true, force: true })
  }
}
