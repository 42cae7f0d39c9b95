import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDepartmentNode, loadConfig, type DepartmentConfig, type DepartmentNode } from '../../bootstrap/src/index.js'
import { dak } from './dak-process.js'

/**
 * A real department node for the CLI tests (127.0.0.1, ports chosen by the
 * OS, a temp data dir) and officers enrolled into it with `dak init`.
 * Everything made here is undone by cleanup(), newest first.
 */
export class DepartmentFixture {
  private readonly undo: Array<() => Promise<void>> = []
  node!: DepartmentNode

  async tempDir (name: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), `dak-cli-${name}-`))
    this.undo.push(async () => { await rm(dir, { recursive: true, force: true }) })
    return dir
  }

  private config!: DepartmentConfig

  /** The running (or stopped) node's data directory. */
  get nodeDataDir (): string {
    return this.config.dataDir
  }

  /**
   * The node offers no WebRTC-Direct: these tests stop and restart nodes inside
   * one process, and after a WebRTC-Direct listener has stopped node-datachannel
   * aborts the process some seconds later (a pthread mutex assertion, the CI
   * failure of stop 19). `dak` devices dial TCP; browsers are tested in test/web.
   */
  async start (config?: DepartmentConfig): Promise<DepartmentNode> {
    this.config = config ?? await loadConfig({ overrides: { dataDir: await this.tempDir('node'), department: 'mof.budget', departmentName: 'Budget Division', host: '127.0.0.1', publicHost: '127.0.0.1', tcpPort: 0, wsPort: 0, webrtcDirectPort: 'off', httpPort: 0 } })
    const node = this.node = await createDepartmentNode(this.config, { onError: () => {} })
    // a stopped node lists no addresses: remember them for restart()
    const addresses = node.multiaddrs()
    this.restart = async () => {
      const port = (pattern: RegExp): number => Number(addresses.map(a => pattern.exec(a)?.[1]).find(p => p != null))
      return await this.start({
        ...this.config,
        tcpPort: port(/\/tcp\/(\d+)\/p2p\//),
        wsPort: port(/\/tcp\/(\d+)\/ws\//),
        httpPort: Number(new URL(node.httpUrl).port)
      })
    }
    let stopped = false
    this.undo.push(async () => { if (!stopped) await node.stop() })
    this.stopNode = async () => { stopped = true; await node.stop() }
    return node
  }

  /** Stop the node (its data stays). */
  stopNode: () => Promise<void> = async () => {}

  /** Start the stopped node again from its data directory, on the TCP ports it had (devices know those). */
  restart: () => Promise<DepartmentNode> = async () => { throw new Error('start() first') }

  /**
   * Invite, `dak init` (typed code + --node) and one `dak status`, so the
   * node holds the device's key packages and others can add it while it is away.
   */
  async officer (handle: string, displayName: string): Promise<string> {
    const dir = await this.tempDir(handle)
    const invite = await this.node.createInvite({ handle, displayName, title: 'Section Officer' })
    const init = await dak(dir, ['init', '--invite', invite.code, '--node', this.node.httpUrl, '--json'])
    if (init.code !== 0) throw new Error(`dak init for ${handle} failed: ${init.stdout}${init.stderr}`)
    const status = await dak(dir, ['status', '--json'])
    if (status.lines[0]?.departmentNodes !== 1) throw new Error(`${handle} did not reach the node: ${status.stdout}${status.stderr}`)
    return dir
  }

  /** Asha and Bala enrolled, and Asha's direct chat with Bala started: the start of most CLI scenarios. */
  async ashaChatsWithBala (): Promise<{ asha: string, bala: string }> {
    const asha = await this.officer('asha', 'Asha Rao')
    const bala = await this.officer('bala', 'Bala Iyer')
    const chat = await dak(asha, ['chat', 'new', '--with', 'bala', '--json'])
    if (chat.code !== 0) throw new Error(`chat new --with bala failed (${String(chat.code)}): ${chat.stdout}${chat.stderr}`)
    return { asha, bala }
  }

  async cleanup (): Promise<void> {
    for (const step of this.undo.splice(0).reverse()) await step()
  }
}
