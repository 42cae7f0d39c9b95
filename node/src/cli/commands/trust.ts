import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Run } from '../command.js'
import { UsageError } from '../errors.js'
import { EXIT } from '../exit-codes.js'
import { withSession } from '../session.js'

/**
 * Write this device's trust bundle (and the signed revocation lists it holds,
 * as OUT.revocations-1, -2, ...) for an auditor's `dak verify FILE --trust OUT
 * --revocations ...` (issue 16). Both are signed or public: nothing secret leaves.
 */
export const trustExport: Run = async (ctx) => {
  const out = resolve(ctx.io.cwd, ctx.args.strings.get('out') as string)
  return await withSession(ctx, 0, async (session) => {
    const identity = await session.device.store.identity.get()
    if (identity.trustBundle == null) throw new UsageError('this device holds no trust bundle yet: enrol it first')
    await writeFile(out, identity.trustBundle, { flag: 'wx' })
    const lists = await session.device.store.identity.revocationLists()
    const files: string[] = []
    for (const [i, { list }] of lists.entries()) {
      const path = `${out}.revocations-${i + 1}`
      await writeFile(path, list, { flag: 'wx' })
      files.push(path)
    }
    session.out.result({ trust: out, revocations: files }, [`wrote ${out} (trust bundle)`, ...files.map(f => `wrote ${f} (revocation list)`)].join('\n'))
    return EXIT.ok
  })
}
