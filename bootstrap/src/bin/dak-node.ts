#!/usr/bin/env tsx
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DakError, InvalidArgumentError } from '@dak/protocol'
import { parseExpectedHead, type AuditEntry, type AuditHead, type AuditVerification } from '../audit/index.js'
import { loadConfig, type DepartmentConfig } from '../config/config.js'
import { inviteRequestOf, targetOf, wipeTargetOf } from '../node/admin.js'
import type { WipeSummary } from '../wipe/wipe-orders.js'
import { createDepartmentNode } from '../node/department-node.js'
import type { IssuedInvite } from '../node/invites.js'
import { openOfflineAdmin } from '../node/offline-admin.js'
import type { DeviceSummary, RevocationSummary } from '../node/summaries.js'
import { connectAdmin } from './admin-client.js'
import { parseArgs, USAGE, type Args } from './args.js'
import { inviteImagePath } from '../node/invite-images.js'
import { auditText, wipeText, devicesText, inviteText, revocationText, statusText, writeInvitePng } from './print.js'
import { initDepartmentTls, nodeNames, renewServerCertificate } from '../tls/department-tls.js'
import { caInstallText, tlsStartText } from './tls-text.js'
import { authorityCommand } from './authority-command.js'

/** Exit codes, as the `dak` CLI's: 0 done, 1 bad usage, 2 the operation failed, 3 `audit verify` found the log tampered with. */
const EXIT = { ok: 0, usage: 1, failed: 2, tampered: 3 } as const

/** The built web client beside this repository's bootstrap/, served when the config names none. */
const BUILT_WEB_CLIENT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../web/dist')

async function configOf (args: Args): Promise<DepartmentConfig> {
  const data = args.flags.get('data')
  const host = args.flags.get('host')
  const publicHost = args.flags.get('public-host')
  const store = args.flags.get('store')
  const overrides = { ...(data == null ? {} : { dataDir: data }), ...(host == null ? {} : { host }), ...(publicHost == null ? {} : { publicHost }), ...(store == null ? {} : { store }) }
  const config = await loadConfig({ file: args.flags.get('config'), env: process.env, overrides })
  if (config.webRoot == null && existsSync(join(BUILT_WEB_CLIENT, 'index.html'))) config.webRoot = BUILT_WEB_CLIENT
  return config
}

function out (args: Args, value: unknown, text: string): void {
  process.stdout.write((args.switches.has('json') ? JSON.stringify(value) : text) + '\n')
}

async function start (args: Args, config: DepartmentConfig): Promise<void> {
  const node = await createDepartmentNode(config, { admin: true })
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    process.stderr.write(`\n${signal}: stopping the node…\n`)
    node.stop().then(() => { process.exit(EXIT.ok) }, (err: unknown) => { process.stderr.write(`${String(err)}\n`); process.exit(EXIT.failed) })
  }
  process.on('SIGINT', () => { stop('SIGINT') })
  process.on('SIGTERM', () => { stop('SIGTERM') })

  const active = (await node.devices()).filter(d => d.state === 'active')
  let invite: IssuedInvite | undefined
  let png: string | undefined
  // the first officer (normally department IT itself) needs a way in; later ones get `dak-node invite`
  if (active.length === 0 && !args.switches.has('no-invite')) {
    invite = await node.createInvite({ handle: 'admin', displayName: 'Department administrator', title: 'Administrator' })
    png = inviteImagePath(config.dataDir, invite.handle)
    await writeInvitePng(invite, png)
  }
  const tls = node.tls == null ? undefined : { certificate: node.tls.served.certPath, managed: node.tls.managed, ca: node.tls.ca, created: node.tls.created != null }
  const summary = { department: config.department, webUrl: node.webUrl, peerId: node.peerId.toString(), multiaddrs: node.multiaddrs(), adminUrl: node.adminUrl, devices: active.length, tls, invite, invitePng: png }
  const lines = [
    `Dak department node for ${config.departmentName} (${config.department})`,
    `  web client: ${node.webUrl}${config.webRoot == null ? '  (no web client built: npm run build:web)' : ''}`,
    ...tlsStartText(node.tls, config.department),
    `  health:     ${new URL('/health', node.webUrl).href}    metrics: ${new URL('/metrics', node.webUrl).href}`,
    `  peer id:    ${node.peerId.toString()}`,
    '  addresses:',
    ...node.multiaddrs().map(a => `    ${a}`),
    `  enrolled devices: ${active.length}`,
    '',
    ...(invite == null ? [] : [await inviteText(invite, png)]),
    'Press Ctrl-C to stop.'
  ]
  out(args, summary, lines.join('\n'))
}

/** invite | revoke | wipe | devices | status | audit, through the running node when there is one. */
async function administer (args: Args, config: DepartmentConfig): Promise<void> {
  const admin = await connectAdmin(config.dataDir)
  const offline = admin == null ? await openOfflineAdmin(config) : undefined
  try {
    switch (args.command) {
      case 'invite': {
        const hours = args.flags.get('hours')
        const request = inviteRequestOf({ handle: args.flags.get('handle'), displayName: args.flags.get('name'), title: args.flags.get('title'), ...(hours == null ? {} : { validityHours: Number(hours) }) })
        const invite = (offline != null ? await offline.createInvite(request) : await admin?.call('POST', '/admin/invite', request)) as IssuedInvite
        const png = inviteImagePath(config.dataDir, invite.handle)
        await writeInvitePng(invite, png)
        out(args, { ...invite, png }, await inviteText(invite, png))
        return
      }
      case 'revoke': {
        const device = args.flags.get('device')
        const target = targetOf(device != null ? { deviceKey: device } : { handle: args.flags.get('handle') })
        const summary = (offline != null ? await offline.revoke(target) : await admin?.call('POST', '/admin/revoke', device != null ? { deviceKey: device } : target)) as RevocationSummary
        out(args, summary, revocationText(summary))
        return
      }
      case 'wipe': {
        const device = args.flags.get('device')
        const request = { handle: args.flags.get('handle'), ...(device != null ? { deviceKey: device } : {}) }
        const target = wipeTargetOf(request)
        const wiped = (offline != null ? await offline.wipe(target) : await admin?.call('POST', '/admin/wipe', request)) as WipeSummary[]
        out(args, wiped, wipeText(wiped))
        return
      }
      case 'audit': {
        if (args.audit === 'verify') {
          const expect = parseExpectedHead(args.flags.get('expect'))
          const verified = (offline != null ? await offline.audit.verify(expect) : await admin?.call('POST', '/admin/audit/verify', expect == null ? {} : { expect: `${expect.size}:${expect.hash}` })) as AuditVerification
          out(args, { ok: true, ...verified }, `The audit log is intact: ${verified.size} entries, head ${verified.size}:${verified.hash}`)
          return
        }
        const listed = (offline != null ? await offline.audit.list() : await admin?.call('GET', '/admin/audit')) as { entries: AuditEntry[], head: AuditHead | null }
        out(args, listed, auditText(listed.entries, listed.head))
        return
      }
      case 'devices': {
        const devices = (offline != null ? await offline.devices() : await admin?.call('GET', '/admin/devices')) as DeviceSummary[]
        out(args, devices, devicesText(devices))
        return
      }
      default: {
        const status = (offline != null ? await offline.status() : { running: true, ...(await admin?.call('GET', '/admin/status') as Record<string, unknown>) }) as Record<string, unknown>
        out(args, status, statusText(status))
      }
    }
  } finally {
    await offline?.close()
  }
}

/** tls init | tls renew: files only, so they work with the node running (it re-reads them within a minute) or stopped. */
async function tlsCommand (args: Args, config: DepartmentConfig): Promise<void> {
  if (args.tls === 'renew') {
    // the running node renews and records it; a stopped one gets the files renewed here and the entry in its log
    const admin = await connectAdmin(config.dataDir)
    if (admin != null) {
      await admin.call('POST', '/admin/tls-renew')
    } else {
      await renewServerCertificate(config.dataDir, Date.now(), true)
      const offline = await openOfflineAdmin(config)
      try {
        await offline.recordTlsRenew()
      } finally {
        await offline.close()
      }
    }
    out(args, { renewed: true }, 'Issued a new HTTPS certificate; a running node serves it within a minute.')
    return
  }
  const extra = (args.flags.get('names') ?? '').split(',').map(n => n.trim()).filter(n => n.length > 0)
  const result = await initDepartmentTls(config.dataDir, config.departmentName, nodeNames(config, extra))
  out(args, { ...result.paths, fingerprint: result.fingerprint, names: result.names },
    [`HTTPS certificate for: ${result.names.join(', ')}`, `  certificate: ${result.paths.cert}`, `  key:         ${result.paths.key}`, caInstallText(result.paths.caCert, result.fingerprint, config.department)].join('\n'))
}

async function main (argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv[0] === 'help') {
    process.stdout.write(USAGE + '\n')
    return argv.length === 0 ? EXIT.usage : EXIT.ok
  }
  let args: Args
  try {
    args = parseArgs(argv)
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`)
    return EXIT.usage
  }
  try {
    const config = await configOf(args)
    if (args.command === 'start') {
      await start(args, config)
      return -1
    }
    if (args.command === 'authority') {
      await authorityCommand(args, config, (value, text) => { out(args, value, text) })
      return EXIT.ok
    }
    if (args.command === 'tls') {
      await tlsCommand(args, config)
      return EXIT.ok
    }
    await administer(args, config)
    return EXIT.ok
  } catch (err) {
    const error = err instanceof DakError ? err.toJSON() : err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) }
    if (args.switches.has('json')) process.stdout.write(JSON.stringify({ error }) + '\n')
    else process.stderr.write(`error: ${error.name}: ${error.message}\n`)
    if (err instanceof Error && err.name === 'AuditLogTamperedError') return EXIT.tampered
    return err instanceof InvalidArgumentError ? EXIT.usage : EXIT.failed
  }
}

// `start` keeps running (its signal handlers exit); every other command exits with its code
main(process.argv.slice(2)).then((code) => { if (code >= 0) process.exit(code) }, (err: unknown) => { process.stderr.write(`${String(err)}\n`); process.exit(EXIT.failed) })
