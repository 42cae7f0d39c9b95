/**
 * Link profiles of the field harness: what each shaped link does to packets
 * (per direction), and what the scenario does to the network around them.
 * docs/field.md describes each one and why it is shaped the way it is.
 */

export interface LinkShape {
  /** One-way delay added to every packet, ms. */
  delayMs: number
  /** Uniform jitter: each packet's delay is delayMs ± jitterMs (order kept, as a serial link keeps it). */
  jitterMs: number
  /** Share of packets dropped, 0..1, drawn from a seeded generator per direction. */
  loss: number
  /** Link rate in bits per second; 0 = unlimited. */
  rateBps: number
  /** Most bytes queued per direction before tail drop (a modem's buffer). */
  queueBytes: number
}

export interface Profile {
  name: string
  description: string
  /** The shape of every device's link during the measured phase (set-up runs on `lan`). */
  link: LinkShape
  /** The link goes down `downMs` of every `periodMs` (measured phase only). */
  flap?: { periodMs: number, downMs: number }
  /** The department node is SIGKILLed after this many texts and restarted `downMs` later. */
  nodeKill?: { afterText: number, downMs: number }
  /** Receivers' links go down and up on a seeded schedule. */
  churn?: { meanUpMs: number, meanDownMs: number }
  /** Texts the sender sends, and the pause between two sends. */
  texts: number
  gapMs: number
  /** Receivers besides the sender. */
  receivers: number
  /** How long the receivers may take to come online, and to get every text after the last send. */
  onlineDeadlineMs: number
  drainDeadlineMs: number
  /** Idle measurement window (receivers online, nobody sending). */
  idleMs: number
  /** `dak send --wait` seconds. */
  sendWaitS: number
  /** The last receiver is a browser (Chromium in its namespace, test/field/browser-device.ts), not `dak listen`. */
  browserReceiver?: boolean
}

const CLEAN: LinkShape = { delayMs: 0, jitterMs: 0, loss: 0, rateBps: 0, queueBytes: 1 << 20 }
/** 2G (EDGE-class) as field officers see it: 64 kbit/s, 400 ms RTT ± 100 ms; a 2G modem buffers generously. */
export const TWO_G: LinkShape = { delayMs: 200, jitterMs: 50, loss: 0.10, rateBps: 64_000, queueBytes: 64 * 1024 }

const common = { texts: 12, gapMs: 1_000, receivers: 2, onlineDeadlineMs: 120_000, drainDeadlineMs: 120_000, idleMs: 30_000, sendWaitS: 20 }

export const PROFILES: Record<string, Profile> = {
  lan: { name: 'lan', description: 'clean link', link: CLEAN, ...common, onlineDeadlineMs: 60_000, drainDeadlineMs: 60_000 },
  quick: { name: 'quick', description: 'CI: clean link, one receiver, 5 texts', link: CLEAN, ...common, texts: 5, receivers: 1, idleMs: 10_000, onlineDeadlineMs: 60_000, drainDeadlineMs: 40_000 },
  '2g': { name: '2g', description: '64 kbit/s, 400 ms RTT ± 100 ms, 10% loss each way', link: TWO_G, ...common },
  '2g-bad': { name: '2g-bad', description: '2g at 30% loss each way', link: { ...TWO_G, loss: 0.30 }, ...common, drainDeadlineMs: 240_000 },
  flap: { name: 'flap', description: 'clean link, down 10 s of every 30 s', link: CLEAN, flap: { periodMs: 30_000, downMs: 10_000 }, ...common, texts: 30, gapMs: 2_000 },
  'node-kill': { name: 'node-kill', description: 'clean link; the department node is SIGKILLed after text 10 and restarted 5 s later', link: CLEAN, nodeKill: { afterText: 10, downMs: 5_000 }, ...common },
  'browser-flap': { name: 'browser-flap', description: 'flap, and the second receiver is a browser in its own namespace', link: CLEAN, flap: { periodMs: 30_000, downMs: 10_000 }, ...common, texts: 30, gapMs: 2_000, browserReceiver: true },
  'browser-2g': { name: 'browser-2g', description: '2g, and the second receiver is a browser in its own namespace (over wss or WebRTC-Direct)', link: TWO_G, ...common, browserReceiver: true },
  'browser-node-kill': { name: 'browser-node-kill', description: 'node-kill, and the second receiver is a browser in its own namespace', link: CLEAN, nodeKill: { afterText: 10, downMs: 5_000 }, ...common, browserReceiver: true },
  'browser-churn': { name: 'browser-churn', description: 'churn, and the second receiver is a browser in its own namespace', link: CLEAN, churn: { meanUpMs: 15_000, meanDownMs: 8_000 }, ...common, texts: 30, gapMs: 2_000, browserReceiver: true },
  churn: { name: 'churn', description: 'clean link; each receiver offline for ~8 s after ~15 s online, seeded', link: CLEAN, churn: { meanUpMs: 15_000, meanDownMs: 8_000 }, ...common, texts: 30, gapMs: 2_000 }
}

/** `npm run field` with no --profile: the whole matrix, in this order (`partition`: partition.ts). */
export const MATRIX = ['lan', '2g', '2g-bad', 'flap', 'node-kill', 'churn', 'browser-2g', 'browser-flap', 'browser-node-kill', 'browser-churn', 'partition', 'partition-2g']
