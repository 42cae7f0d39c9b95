import { createKeyPackage, loadSuite, toHex, type KeyPackageBundle } from '@dak/protocol'
import { sha256 } from '@noble/hashes/sha2.js'
import type { EngineContext } from './context.js'

/** Fresh key packages uploaded per department connection: enough for a day of new conversations. */
const UPLOAD_BATCH = 8

function refOf (bundle: KeyPackageBundle): string {
  return toHex(sha256(bundle.publicBytes))
}

/** Make one key package and keep its private half; returns the public bytes to hand out. */
export async function freshKeyPackage (ctx: EngineContext, lastResort = false): Promise<Uint8Array> {
  const bundle = await createKeyPackage({ certificate: ctx.keys.certificate.bytes, signatureKeyPair: ctx.keys.mls, suite: await loadSuite() })
  await ctx.store.keyPackages.put({ ref: refOf(bundle), publicBytes: bundle.publicBytes, privateBytes: bundle.privateBytes, createdAt: ctx.now(), lastResort })
  return bundle.publicBytes
}

/**
 * Keep a stock of key packages at each department node we reach, so anyone
 * can start a conversation with this officer while the device is offline.
 * Each upload is fresh packages only: a package handed out twice would be
 * refused on its second use (one-time), so nothing is ever re-uploaded —
 * except the last-resort package, which is meant for reuse.
 */
export async function replenishKeyPackages (ctx: EngineContext): Promise<void> {
  const departments = ctx.departments.connected()
  if (departments.length === 0) return
  let lastResort = (await ctx.store.keyPackages.list()).find(k => k.lastResort)?.publicBytes
  lastResort ??= await freshKeyPackage(ctx, true)
  for (const department of departments) {
    const fresh: Uint8Array[] = []
    for (let i = 0; i < UPLOAD_BATCH; i++) fresh.push(await freshKeyPackage(ctx))
    await department.uploadKeyPackages(fresh, lastResort)
  }
}
