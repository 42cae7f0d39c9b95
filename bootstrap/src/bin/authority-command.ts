import { readFile, writeFile } from 'node:fs/promises'
import { InvalidArgumentError, signingKeyPairFromSeed } from '@dak/protocol'
import { parseRequestsFile, parseSignedFile, type RequestsFile, type SignedFile } from '../authority/ceremony-files.js'
import { exportAuthorityKey } from '../authority/export-key.js'
import { signRequests } from '../authority/sign.js'
import type { DepartmentConfig } from '../config/config.js'
import { openOfflineAdmin } from '../node/offline-admin.js'
import { connectAdmin } from './admin-client.js'
import type { Args } from './args.js'

/**
 * `dak-node authority export-key|requests|sign|import`: the offline
 * authority's ceremony (docs/department-node.md, "Offline authority").
 * `sign` touches files only; `requests` and `import` go through the running
 * node's admin API, or open the database when the node is stopped.
 */
export async function authorityCommand (args: Args, config: DepartmentConfig, out: (value: unknown, text: string) => void): Promise<void> {
  const need = (flag: string): string => {
    const value = args.flags.get(flag)
    if (value == null) throw new InvalidArgumentError(`dak-node authority ${args.authority ?? ''} needs --${flag}`)
    return value
  }
  switch (args.authority) {
    case 'export-key': {
      const exported = await exportAuthorityKey(config, need('out'), Date.now())
      out(exported, [
        `The authority key is now in ${exported.keyFile} and no longer on this node.`,
        `  authority: ${exported.authorityPublicKey}`,
        `  the node's certificate is valid until ${new Date(exported.nodeCertificateExpires).toISOString()}`,
        'Copy the key file to the machine that will keep it (offline), check it there, and delete it here.'
      ].join('\n'))
      return
    }
    case 'requests': {
      const file = await withNode(config, async (admin) => await admin.call('GET', '/admin/authority/requests') as RequestsFile, async (offline) => await offline.ceremony.requests())
      await writeFile(need('out'), JSON.stringify(file, null, 2) + '\n', { mode: 0o644 })
      out({ requests: file.requests.length, out: need('out') }, `${file.requests.length} certificate request(s) and the node's renewal written to ${need('out')}`)
      return
    }
    case 'sign': {
      const requests = parseRequestsFile(await readFile(need('requests'), 'utf8'))
      const seed = new Uint8Array(await readFile(need('key')))
      if (seed.length !== 32) throw new InvalidArgumentError(`${need('key')} is not a 32-byte authority key file`)
      const signed = signRequests(requests, signingKeyPairFromSeed(seed), Date.now())
      seed.fill(0)
      await writeFile(need('out'), JSON.stringify(signed, null, 2) + '\n', { mode: 0o644, flag: 'wx' })
      out({ signed: signed.certificates.length, out: need('out') }, [
        `Signed for ${requests.department}:`,
        ...requests.requests.map(r => `  ${r.handle} (${r.displayName}, ${r.title}) device ${r.deviceKey.slice(0, 16)}… serial ${r.serial}`),
        `  the node's own certificate (node key ${requests.node.nodePublicKey.slice(0, 16)}…)`,
        ...(requests.revocation == null ? [] : [`  revocation list #${requests.revocation.serial} naming ${requests.revocation.devices.length} device(s)`]),
        `Written to ${need('out')}: take it to the node and run dak-node authority import ${need('out')}`
      ].join('\n'))
      return
    }
    default: {
      const signed: SignedFile = parseSignedFile(await readFile(need('in'), 'utf8'))
      const result = await withNode(config, async (admin) => await admin.call('POST', '/admin/authority/import', signed) as { enrolled: number, nodeCertificate: boolean, revoked: number },
        async (offline) => { const i = await offline.ceremony.import(signed); return { enrolled: i.enrolled.length, nodeCertificate: i.node != null, revoked: i.revocation?.revoked.length ?? 0 } })
      out(result, `Imported ${result.enrolled} certificate(s)${result.nodeCertificate ? ' and the node\'s own' : ''}${result.revoked > 0 ? `, and a revocation list revoking ${result.revoked} device(s)` : ''}; the devices complete their enrolment when they ask again.`)
    }
  }
}

async function withNode<T> (config: DepartmentConfig, running: (admin: NonNullable<Awaited<ReturnType<typeof connectAdmin>>>) => Promise<T>, stopped: (offline: Awaited<ReturnType<typeof openOfflineAdmin>>) => Promise<T>): Promise<T> {
  const admin = await connectAdmin(config.dataDir)
  if (admin != null) return await running(admin)
  const offline = await openOfflineAdmin(config)
  try {
    return await stopped(offline)
  } finally {
    await offline.close()
  }
}
