import { DeliveryLog } from '../lib/delivery.js'
import { deliveryNote, flood, paced } from '../lib/flood.js'
import { indexOfText, textOf } from '../lib/pipeline.js'
import { perSecond, quantile } from '../lib/stats.js'
import type { Figure } from '../lib/types.js'
import type { EngineGroup, EngineHookName, CatchUpScenario } from './hooks.js'

/**
 * Engine-level measurements, through the Messenger interface only. They run
 * as soon as engine/hooks.ts can start messengers; until then the callers
 * report `pendingFigure`s.
 */

export function pendingFigure (key: string, label: string, unit: string, hook: EngineHookName, target?: string): Figure {
  return {
    key,
    label,
    value: null,
    unit,
    pending: `waits for the messenger engine: engineHooks.${hook} in test/bench/engine/hooks.ts`,
    ...(target != null ? { note: `target: ${target}` } : {})
  }
}

/** Record every text message a member receives in the conversation into `log`. */
function listen (group: EngineGroup, log: DeliveryLog): () => void {
  const offs = group.messengers.map((messenger, i) => messenger.on('message', (message) => {
    if (message.conversationId !== group.conversationId || message.fromMe || message.kind !== 'text') return
    log.arrived(indexOfText(message.text), i)
  }))
  return () => { offs.forEach(off => { off() }) }
}

function sender (group: EngineGroup, i: number): EngineGroup['messengers'][number] {
  const messenger = group.messengers[i]
  if (messenger == null) throw new Error(`no messenger ${i}`)
  return messenger
}

/** Messages per second from messengers[0] to everyone else, at most `window` not yet fully delivered. */
export async function engineThroughput (group: EngineGroup, count: number, window: number, timeoutMs: number): Promise<{ rate: number, note?: string }> {
  const log = new DeliveryLog(count, group.messengers.length)
  const stop = listen(group, log)
  try {
    const run = await flood(log, count, window, timeoutMs, async (k) => {
      log.sent(k, 0)
      await sender(group, 0).send(group.conversationId, textOf(k))
    })
    return { rate: perSecond(log.completed, run.ms), note: deliveryNote(log, run.complete) }
  } finally {
    stop()
  }
}

/** Latency from send() to each receiver's 'message' event; senders take turns. */
export async function engineLatency (group: EngineGroup, count: number, intervalMs: number, drainMs: number): Promise<{ p50: number, p99: number, fullP99: number, note?: string }> {
  const n = group.messengers.length
  const log = new DeliveryLog(count, n)
  const stop = listen(group, log)
  try {
    const run = await paced(log, count, intervalMs, drainMs, async (k) => {
      log.sent(k, k % n)
      await sender(group, k % n).send(group.conversationId, textOf(k))
    })
    return { p50: quantile(log.latencies, 0.5), p99: quantile(log.latencies, 0.99), fullP99: quantile(log.fullDeliveryTimes(), 0.99), note: deliveryNote(log, run.complete) }
  } finally {
    stop()
  }
}

/** Messages per second from begin() until the 'sync' event says catch-up finished. */
export async function engineCatchUp (scenario: CatchUpScenario, timeoutMs: number): Promise<{ rate: number, messages: number }> {
  let messages = 0
  const offMessage = scenario.messenger.on('message', (m) => { if (!m.fromMe) messages++ })
  try {
    const finished = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`catch-up did not finish within ${timeoutMs} ms`)) }, timeoutMs)
      const off = scenario.messenger.on('sync', (progress) => {
        if (!progress.finished) return
        clearTimeout(timer)
        off()
        resolve()
      })
    })
    const start = performance.now()
    await scenario.begin()
    await finished
    return { rate: perSecond(messages, performance.now() - start), messages }
  } finally {
    offMessage()
  }
}
