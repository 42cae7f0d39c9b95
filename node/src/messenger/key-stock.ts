import { createKeyPackage, loadSuite, toHex, type KeyPackageBundle } from '@dak/protocol'
import { sha256 } from '@noble/hashes/sha2.js'
import type { StoredKeyPackage } from '../storage/index.js'
import type { EngineContext } from './context.js'
import type { DepartmentPort } from './ports.js'

/**
 * One-time key packages a department node should hold for this device: new
 * conversations others can start with this officer while the device is away.
 * Each connection tops the stock up to this, so it never grows past the
 * node's per-device cap (100 by default) however often the device reconnects.
 */
export const KEY_PACKAGE_STOCK = 16

/**
 * How long the private half of a package the node handed out is kept: the
 * Welcome made from it can still be on its way (the adder's outbox, then the
 * node's store). Pruning runs only after a catch-up from that node, so what the
 * node had stored for us is in already; this covers Welcomes not yet deposited.
 */
export const HANDED_OUT_KEEP_MS = 30 * 86_400_000

/** Refusals of an upload by the node itself: the packages never left this device, so their private halves can go. */
const UPLOAD_REFUSALS = new Set(['QuotaExceededError', 'NotThisDepartmentError', 'InvalidArgumentError', 'MalformedInputError', 'TooLargeError'])

function refOf (bundle: KeyPackageBundle): string {
  return toHex(sha256(bundle.publicBytes))
}

/** Make one key package and keep its private half; returns the public bytes to hand out. */
export async function freshKeyPackage (ctx: EngineContext, options: { lastResort?: boolean, uploadedTo?: string } = {}): Promise<Uint8Array> {
  const bundle = await createKeyPackage({ certificate: ctx.keys.certificate.bytes, signatureKeyPair: ctx.keys.mls, suite: await loadSuite() })
  await ctx.store.keyPackages.put({
    ref: refOf(bundle),
    publicBytes: bundle.publicBytes,
    privateBytes: bundle.privateBytes,
    createdAt: ctx.now(),
    lastResort: options.lastResort ?? false,
    ...(options.uploadedTo != null ? { uploadedTo: options.uploadedTo } : {})
  })
  return bundle.publicBytes
}

/**
 * Most one-time packages handed to LAN peers whose private halves are kept.
 * Each LAN request mints one (mesh-adapter.ts limits how often a peer may ask);
 * past the cap the oldest hand-outs are forgotten, so a peer that keeps asking
 * cannot grow the store, nor the list `join()` loads for every Welcome. A
 * Welcome built on a forgotten package cannot be joined: the adder sees no
 * join and adds again (it fetches a fresh package then).
 */
export const LAN_KEY_PACKAGE_CAP = 64

/** A package for a LAN peer that asked directly: made fresh, the store kept under LAN_KEY_PACKAGE_CAP. */
export async function lanKeyPackage (ctx: EngineContext): Promise<Uint8Array> {
  const handedOut = (await ctx.store.keyPackages.list())
    .filter(k => !k.lastResort && k.uploadedTo == null)
    .sort((a, b) => a.createdAt - b.createdAt)
  for (const old of handedOut.slice(0, Math.max(0, handedOut.length - LAN_KEY_PACKAGE_CAP + 1))) await ctx.store.keyPackages.delete(old.ref)
  return await freshKeyPackage(ctx)
}

/**
 * Keep this device's stock at one department node: ask which of its packages
 * the node still holds, upload only the missing ones (fresh packages: a package
 * handed out twice would be refused on its second use), and, when `prune` (a
 * catch-up from this node has just finished), forget the private halves of
 * packages the node handed out long enough ago. Resolves with the stock held.
 */
export async function stockKeyPackages (ctx: EngineContext, department: DepartmentPort, options: { prune: boolean }): Promise<number> {
  const stored = await ctx.store.keyPackages.list()
  const lastResort = stored.find(k => k.lastResort)?.publicBytes ?? await freshKeyPackage(ctx, { lastResort: true })
  const held = await heldAt(department)
  let stock = held?.refs.length ?? await department.uploadKeyPackages([])
  const missing = KEY_PACKAGE_STOCK - stock
  if (missing > 0) {
    const fresh: Uint8Array[] = []
    for (let i = 0; i < missing; i++) fresh.push(await freshKeyPackage(ctx, { uploadedTo: department.id }))
    try {
      stock = await department.uploadKeyPackages(fresh, lastResort)
    } catch (err) {
      if (err instanceof Error && UPLOAD_REFUSALS.has(err.name)) {
        for (const bytes of fresh) await ctx.store.keyPackages.delete(toHex(sha256(bytes)))
      }
      throw err
    }
  }
  if (options.prune && held?.complete === true) {
    for (const ref of prunableKeyPackages(stored, new Set(held.refs), department.id, ctx.now())) await ctx.store.keyPackages.delete(ref)
  }
  return stock
}

/**
 * Private halves no Welcome will need any more: one-time packages this node
 * was given (or, for untagged ones from older versions and LAN hand-outs, any
 * node) that it no longer holds, made longer than HANDED_OUT_KEEP_MS ago.
 */
export function prunableKeyPackages (stored: StoredKeyPackage[], heldRefs: Set<string>, nodeId: string, now: number): string[] {
  return stored
    .filter(k => !k.lastResort && (k.uploadedTo == null || k.uploadedTo === nodeId) && !heldRefs.has(k.ref) && now - k.createdAt > HANDED_OUT_KEEP_MS)
    .map(k => k.ref)
}

/** The node's list of our packages; undefined from a node that predates the query (then its upload answer gives the count). */
async function heldAt (department: DepartmentPort): Promise<{ refs: string[], complete: boolean } | undefined> {
  try {
    return await department.heldKeyPackages()
  } catch (err) {
    if (err instanceof Error && err.name === 'UnsupportedProtocolError') return undefined
    throw err
  }
}
