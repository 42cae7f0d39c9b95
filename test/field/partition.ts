import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Department } from './department.js'
import { Links } from './link.js'
import { TWO_G, type LinkShape } from './profiles.js'
import type { DeviceSide } from './namespaces.js'
import { dakArgv, killAll, runIn, startIn, type Followed, type Line } from './processes.js'
import { FIELD_DEBUG, logFileOf, makeLogDir } from './receiver-trace.js'
import { startRun } from './run-log.js'

/**
 * The `partition` profile (docs/field.md): a group split in two for
 * `apartMs`. Side A (asha, bala; esha, not yet a member) keeps the department
 * node, the group's sequencer. Side B (chitra, the group's admin, and dinesh)
 * loses it — their links go down — but shares a LAN segment, where they meet
 * directly. Both sides send texts meanwhile, and chitra adds esha while the
 * sequencer is out of reach. Then the links come back, and the run measures
 * how long until every device has every text and all agree on members and
 * epoch; then one text from each side after the heal, which esha must get too.
 */

export interface PartitionProfile {
  name: string
  description: string
  apartMs: number
  /** One text from each side every this many ms while apart. */
  textEveryMs: number
  /** How long after the heal the run waits for convergence. */
  convergeDeadlineMs: number
  /** Every device's link to the hub once everyone is online (set-up runs clean); side B's LAN stays clean. */
  link?: LinkShape
}

export const PARTITION_PROFILES: Record<string, PartitionProfile> = {
  partition: { name: 'partition', description: 'clean links; chitra and dinesh cut from the department node for 60 s but on one LAN; chitra adds esha meanwhile', apartMs: 60_000, textEveryMs: 10_000, convergeDeadlineMs: 180_000 },
  'partition-2g': { name: 'partition-2g', description: 'as partition, but every link to the department node is 2g (64 kbit/s, 400 ms RTT ± 100 ms, 10% loss); side B\'s LAN stays clean', apartMs: 60_000, textEveryMs: 10_000, convergeDeadlineMs: 300_000, link: TWO_G }
}

const SIDE_A = ['asha', 'bala']
const SIDE_B = ['chitra', 'dinesh']
const NEWCOMER = 'esha'
const OFFICERS = [...SIDE_A, ...SIDE_B, NEWCOMER]
const ADMIN = 'chitra'

export interface PartitionText { tag: string, from: string, phase: 'apart' | 'healed', sentAt: number, sendCode: number | null, state?: string, expected: string[] }
export interface GroupView { at: number, members: string[], epoch?: string, source: 'event' | 'command' }

export interface PartitionObserved {
  profile: PartitionProfile
  seed: number
  texts: PartitionText[]
  received: Record<string, Record<string, number[]>>
  views: Record<string, GroupView[]>
  apartAt: number
  healAt: number
  /** ms from the heal until every apart text was with every expected member and all agreed on members and epoch. */
  convergedMs?: number
  membership: { code: number | null, at: number, output: string, eshaJoinedAt?: number }
  finalViews: Record<string, GroupView | undefined>
  events: string[]
  errors: Record<string, string[]>
  durationMs: number
}


const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, Math.max(0, ms))) }

/** A conversation summary as members who have joined (not those still awaited) and the epoch. */
function viewOf (summary: Line, at: number, source: GroupView['source']): GroupView {
  const waiting = new Set((summary.waitingFor ?? []).map((o: Line) => o.handle))
  const members = (summary.members ?? []).map((o: Line) => String(o.handle)).filter((h: string) => !waiting.has(h)).sort()
  return { at, members, epoch: summary.epoch, source }
}

export async function runPartition (profile: PartitionProfile, seed: number): Promise<PartitionObserved> {
  const { started, network, scratch, events, note } = await startRun()
  try {
    network.create(OFFICERS.length)
    const side = (handle: string): DeviceSide => network.devices[OFFICERS.indexOf(handle)]!
    const lan = network.lanSegment(SIDE_B.map(h => side(h).index))
    const links = await Links.start(network, { delayMs: 0, jitterMs: 0, loss: 0, rateBps: 0, queueBytes: 1 << 20 }, seed)
    const logDir = makeLogDir(profile.name)
    note(`logs in ${logDir}`)
    const department = new Department(network.hub, join(scratch, 'node'), logFileOf(logDir, 'department-node'))
    const node = await department.start()
    note('department node up')
    const dataOf = (handle: string): string => join(scratch, handle)
    const listenOn = (handle: string): string => [side(handle).ip, lan[side(handle).index]].filter(a => a != null).map(a => `/ip4/${a!}/tcp/0`).join(',')
    const dak = async (handle: string, args: string[], timeoutMs: number): ReturnType<typeof runIn> =>
      await runIn(side(handle).ns, dakArgv(dataOf(handle), args), timeoutMs, { DAK_LISTEN: listenOn(handle) })
    for (const handle of OFFICERS) await department.enrol(handle, dak)
    const members = OFFICERS.filter(h => h !== NEWCOMER && h !== ADMIN)
    const group = await dak(ADMIN, ['group', 'create', 'Field', '--members', ...members, '--wait', '30', '--json'], 90_000)
    if (group.code !== 0) throw new Error(`group create failed (${String(group.code)}): ${JSON.stringify(group.lines)} ${group.stderr}`)
    note(`set up: ${OFFICERS.join(', ')}; group "Field" made by ${ADMIN} with ${members.join(', ')}`)

    const received: PartitionObserved['received'] = {}
    const views: PartitionObserved['views'] = {}
    const errors: PartitionObserved['errors'] = {}
    const listeners = new Map<string, Followed>()
    const startListener = (handle: string, extra: string[] = []): Followed => {
      const listener = startIn(side(handle).ns, dakArgv(dataOf(handle), ['listen', '--json', ...extra]), { DAK_LISTEN: listenOn(handle), DEBUG: FIELD_DEBUG }, 'ignore', logFileOf(logDir, handle))
      received[handle] = {}; views[handle] = []; errors[handle] = []
      listener.onLine((line: Line, at: number) => {
        if (line.event === 'message' && line.message?.fromMe === false) {
          const tag = /^field#[AB]?H?\d+/.exec(String(line.message.text ?? ''))?.[0]
          if (tag != null) (received[handle]![tag] ??= []).push(at)
        }
        if (line.event === 'conversation' && line.conversation?.title === 'Field') views[handle]!.push(viewOf(line.conversation, at, 'event'))
        if (line.event === 'error') errors[handle]!.push(`${String(line.error?.name)}: ${String(line.error?.message)}`.slice(0, 200))
      })
      listeners.set(handle, listener)
      return listener
    }
    const refresh = async (): Promise<void> => {
      await Promise.all(OFFICERS.map(async (h) => {
        const list = await dak(h, ['conversations', '--json'], 60_000)
        const rows = (list.lines.length === 1 && Array.isArray(list.lines[0]) ? list.lines[0] : list.lines) as Line[]
        const summary = rows.find(c => c?.title === 'Field')
        if (summary != null) views[h]!.push(viewOf(summary, Date.now(), 'command'))
      }))
    }
    // side B's LAN: chitra first, dinesh dials her LAN address (mDNS would find her too; --peer makes the run not depend on it)
    const chitra = startListener('chitra')
    const listening = await chitra.waitFor('chitra listening', l => l.event === 'listening', 60_000)
    const lanAddress = (listening.addresses as string[]).find(a => a.includes(`/${lan[side('chitra').index]!}/`))
    if (lanAddress == null) throw new Error(`chitra does not listen on the LAN: ${JSON.stringify(listening.addresses)}`)
    const peer = lanAddress.includes('/p2p/') ? lanAddress : `${lanAddress}/p2p/${String(listening.peerId)}`
    startListener('dinesh', ['--peer', peer])
    for (const handle of [...SIDE_A, NEWCOMER]) startListener(handle)
    await Promise.all(OFFICERS.map(async (handle) => {
      const listener = listeners.get(handle)!
      await listener.waitFor(`${handle}: a department node`, l => l.event === 'status' && l.status?.departmentNodes >= 1, 90_000)
    }))
    // every member has the group (the creator's listener prints no `conversation` line for it: ask)
    const inGroup = OFFICERS.filter(h => h !== NEWCOMER)
    const joinedBy = Date.now() + 90_000
    while (!inGroup.every(h => views[h]!.length > 0) && Date.now() < joinedBy) { await refresh(); await sleep(1_000) }
    if (!inGroup.every(h => views[h]!.length > 0)) throw new Error(`not every member has the group: ${inGroup.filter(h => views[h]!.length === 0).join(', ')}`)
    await listeners.get('dinesh')!.waitFor('dinesh: chitra over the LAN', l => l.event === 'status' && l.status?.peers >= 1, 60_000)
    note('everyone online; dinesh and chitra connected over the LAN')
    if (profile.link != null) {
      links.shape(profile.link)
      note(`links to the department node shaped: ${profile.description}`)
    }

    // apart: side B's links down; their LAN stays
    const texts: PartitionText[] = []
    const others = (from: string, among: string[]): string[] => among.filter(h => h !== from)
    const send = async (from: string, tag: string, phase: PartitionText['phase'], expected: string[]): Promise<void> => {
      const sentAt = Date.now()
      const result = await dak(from, ['send', 'Field', `${tag} ${'x'.repeat(90)}`, '--wait', '1', '--json'], 90_000)
      const line = result.lines.find(l => l.id != null)
      texts.push({ tag, from, phase, sentAt, sendCode: result.code, state: line?.state, expected })
    }
    for (const handle of SIDE_B) links.down(side(handle).index)
    const apartAt = Date.now()
    note(`apart: ${SIDE_B.join(', ')} cut from the department node`)
    const original = [...SIDE_A, ...SIDE_B]
    const rounds = Math.floor(profile.apartMs / profile.textEveryMs)
    let membership: PartitionObserved['membership'] = { code: null, at: 0, output: 'not tried' }
    for (let i = 1; i <= rounds; i++) {
      await sleep(apartAt + (i - 0.5) * profile.textEveryMs - Date.now())
      await Promise.all([send('asha', `field#A${i}`, 'apart', others('asha', original)), send('chitra', `field#B${i}`, 'apart', others('chitra', original))])
      if (i === 2) {
        const add = await dak(ADMIN, ['group', 'add', 'Field', NEWCOMER, '--wait', '1', '--json'], 90_000)
        membership = { code: add.code, at: Date.now(), output: `${JSON.stringify(add.lines).slice(0, 300)} ${add.stderr.trim().split('\n').slice(-2).join(' ')}`.trim() }
        note(`${ADMIN}: group add ${NEWCOMER} while apart: exit ${String(add.code)}`)
      }
    }
    await sleep(apartAt + profile.apartMs - Date.now())
    for (const handle of SIDE_B) links.up(side(handle).index)
    const healAt = Date.now()
    note('healed')

    // converged: every apart text with every expected member, and every device's view the same
    const lastView = (h: string): GroupView | undefined => views[h]!.at(-1)
    const delivered = (): boolean => texts.every(t => t.expected.every(h => (received[h]![t.tag]?.length ?? 0) > 0))
    const agreed = (): boolean => {
      const all = OFFICERS.map(lastView)
      const first = all[0]
      return first != null && first.epoch != null && all.every(v => v != null && v.epoch === first.epoch && v.members.join() === first.members.join())
    }
    let convergedMs: number | undefined
    let nextRefresh = Date.now() + 5_000
    while (Date.now() < healAt + profile.convergeDeadlineMs) {
      if (delivered() && agreed()) { convergedMs = Date.now() - healAt; break }
      // a commit that changes no membership prints no `conversation` line: ask the devices now and then
      if (Date.now() >= nextRefresh) { await refresh(); nextRefresh = Date.now() + 5_000; continue }
      await sleep(250)
    }
    note(convergedMs != null ? `converged ${(convergedMs / 1000).toFixed(1)} s after the heal` : 'not converged by the deadline')
    const eshaJoinedAt = views[NEWCOMER]!.find(v => v.members.includes(NEWCOMER))?.at
    membership = { ...membership, ...(eshaJoinedAt != null ? { eshaJoinedAt } : {}) }

    // after the heal: one text from each side, to every member there is now
    const now = lastView(ADMIN)?.members ?? original
    await Promise.all([send('asha', 'field#H1', 'healed', others('asha', now)), send('chitra', 'field#H2', 'healed', others('chitra', now))])
    const afterEnd = Date.now() + 60_000
    while (!delivered() && Date.now() < afterEnd) await sleep(250)
    await sleep(3_000) // late duplicates
    await refresh()
    const finalViews = Object.fromEntries(OFFICERS.map(h => [h, views[h]!.filter(v => v.source === 'command').at(-1)]))
    note(delivered() ? 'every text with every expected member' : 'some texts missing at the end')
    for (const [handle, listener] of listeners) {
      const code = await listener.stop('SIGTERM', 10_000)
      if (code !== 0) note(`${handle}'s dak listen exited ${String(code)}`)
    }
    await node.stop('SIGTERM', 10_000)
    await links.stop()
    return { profile, seed, texts, received, views, apartAt, healAt, convergedMs, membership, finalViews, events, errors, durationMs: Date.now() - started }
  } finally {
    await killAll()
    network.destroy()
    await rm(scratch, { recursive: true, force: true })
  }
}
