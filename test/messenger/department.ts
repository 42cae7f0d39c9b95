import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { loadConfig, type DepartmentConfig } from '../../bootstrap/src/config/config.js'
import { createDepartmentNode, type DepartmentNode } from '../../bootstrap/src/node/department-node.js'
import { enrolDevice } from '../../node/src/device/enrol-device.js'
import { openDevice, type OpenDevice } from '../../node/src/device/open-device.js'

/**
 * Messenger tests with a real department node: enrolled over HTTP with real
 * invites, devices opened with the production assembly, all on 127.0.0.1.
 */
export class DepartmentWorld {
  private readonly stops: Array<() => Promise<void>> = []
  node!: DepartmentNode
  private dataDir = ''
  private department = ''
  private tcpPort = 0
  private overrides: Partial<DepartmentConfig> = {}
  /** Each enrolled device's data directory by handle (its level files are in `db`), for tests that scan the disk. */
  readonly deviceDirs = new Map<string, string>()

  /** `overrides`: department settings beyond the defaults (e.g. editWindowMinutes). */
  async start (department = 'mof.budget', overrides: Partial<DepartmentConfig> = {}): Promise<DepartmentNode> {
    this.overrides = overrides
    const dataDir = this.dataDir = await mkdtemp(join(tmpdir(), 'dak-world-'))
    this.department = department
    this.stops.push(async () => { await rm(dataDir, { recursive: true, force: true }) })
    this.node = await this.create({ tcpPort: 0 })
    this.stops.push(async () => { await this.node.stop().catch(() => {}) })
    return this.node
  }

  /** The node's data directory: its keys, for tests that play a node misbehaving. */
  get dataDirectory (): string { return this.dataDir }

  /** The node goes down (an outage); `restart` brings it back with the same data and TCP address. */
  async crash (): Promise<void> {
    this.tcpPort = Number(/\/tcp\/(\d+)\/p2p\//.exec(this.node.multiaddrs().find(a => !a.includes('/ws')) ?? '')?.[1])
    await this.node.stop()
  }

  async restart (): Promise<DepartmentNode> {
    if (!Number.isInteger(this.tcpPort) || this.tcpPort === 0) throw new Error('the node had no TCP address to come back on')
    this.node = await this.create({ tcpPort: this.tcpPort })
    return this.node
  }

  /**
   * No WebRTC-Direct: this world's node may crash and restart inside one process,
   * and after a WebRTC-Direct listener has stopped node-datachannel can abort the
   * process (test/cli/department-node.ts). Devices here dial TCP.
   */
  private async create (ports: { tcpPort: number }): Promise<DepartmentNode> {
    const config = await loadConfig({ overrides: { ...this.overrides, dataDir: this.dataDir, department: this.department, departmentName: 'Budget Division', host: '127.0.0.1', publicHost: '127.0.0.1', tcpPort: ports.tcpPort, wsPort: 0, webrtcDirectPort: 'off', httpPort: 0 } })
    return await createDepartmentNode(config, { onError: () => {} })
  }

  /** Invite and enrol a device; returns a function that opens it (again and again: it is a data dir). */
  async enrol (handle: string, at?: DepartmentNode): Promise<() => Promise<OpenDevice>> {
    const node = (): DepartmentNode => at ?? this.node // this world's node as it is when the device opens (it may have restarted)
    const dir = await mkdtemp(join(tmpdir(), `dak-${handle}-`))
    this.deviceDirs.set(handle, dir)
    this.stops.push(async () => { await rm(dir, { recursive: true, force: true }) })
    const db = (): ClassicLevel<string, Uint8Array> => new ClassicLevel<string, Uint8Array>(join(dir, 'db'), { valueEncoding: 'view' })
    const invite = await node().createInvite({ handle, displayName: handle.replace(/^./, c => c.toUpperCase()), title: 'Section Officer' })
    await enrolDevice({ db: db(), invite: invite.code, nodeUrl: node().httpUrl })
    return async () => {
      const device = await openDevice({ db: db(), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: node().multiaddrs(), nodeUrls: [node().httpUrl] })
      this.stops.push(async () => { await device.stop().catch(() => {}) })
      return device
    }
  }

  async stop (): Promise<void> {
    for (const stop of this.stops.splice(0).reverse()) await stop()
  }
}
