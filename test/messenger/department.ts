import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { loadConfig } from '../../bootstrap/src/config/config.js'
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

  async start (department = 'mof.budget'): Promise<DepartmentNode> {
    const dataDir = await mkdtemp(join(tmpdir(), 'dak-world-'))
    this.stops.push(async () => { await rm(dataDir, { recursive: true, force: true }) })
    const config = await loadConfig({ overrides: { dataDir, department, departmentName: 'Budget Division', host: '127.0.0.1', publicHost: '127.0.0.1', tcpPort: 0, wsPort: 0, webrtcDirectPort: 0, httpPort: 0 } })
    this.node = await createDepartmentNode(config, { onError: () => {} })
    this.stops.push(async () => { await this.node.stop() })
    return this.node
  }

  /** Invite and enrol a device; returns a function that opens it (again and again: it is a data dir). */
  async enrol (handle: string, node: DepartmentNode = this.node): Promise<() => Promise<OpenDevice>> {
    const dir = await mkdtemp(join(tmpdir(), `dak-${handle}-`))
    this.stops.push(async () => { await rm(dir, { recursive: true, force: true }) })
    const db = (): ClassicLevel<string, Uint8Array> => new ClassicLevel<string, Uint8Array>(join(dir, 'db'), { valueEncoding: 'view' })
    const invite = await node.createInvite({ handle, displayName: handle.replace(/^./, c => c.toUpperCase()), title: 'Section Officer' })
    await enrolDevice({ db: db(), invite: invite.code, nodeUrl: node.httpUrl })
    return async () => {
      const device = await openDevice({ db: db(), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: node.multiaddrs() })
      this.stops.push(async () => { await device.stop().catch(() => {}) })
      return device
    }
  }

  async stop (): Promise<void> {
    for (const stop of this.stops.splice(0).reverse()) await stop()
  }
}
