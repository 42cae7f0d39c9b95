import { join } from 'node:path'
import { HUB_SERVICE_IP } from './namespaces.js'
import { FIELD_DEBUG } from './receiver-trace.js'
import { dakNodeArgv, runIn, startIn, type Followed } from './processes.js'

/**
 * The department side of a field run, shared by every scenario: the
 * `dak-node` in the hub namespace, and enrolling an officer's device with it
 * (invite, `dak init` over HTTPS with the department CA, `dak status` until
 * the node is reached).
 */

const HTTP_PORT = 8080

export type DakRunner = (handle: string, args: string[], timeoutMs: number) => ReturnType<typeof runIn>

export class Department {
  readonly env: Record<string, string>
  /** `stderrFile`: the node's whole stderr, kept (with `DEBUG=FIELD_DEBUG`) for tracing a lost copy. */
  /** `webRoot`: a build of web/ the node serves (a browser receiver's page). */
  constructor (private readonly hub: string, readonly dataDir: string, private readonly stderrFile?: string, webRoot?: string) {
    this.env = { ...(stderrFile != null ? { DEBUG: FIELD_DEBUG } : {}), ...(webRoot != null ? { DAK_WEB_ROOT: webRoot } : {}), DAK_DATA_DIR: dataDir, DAK_DEPARTMENT: 'field.test', DAK_DEPARTMENT_NAME: 'Field Test', DAK_HOST: HUB_SERVICE_IP, DAK_PUBLIC_HOST: HUB_SERVICE_IP, DAK_HTTP_PORT: String(HTTP_PORT) }
  }

  async start (): Promise<Followed> {
    const node = startIn(this.hub, dakNodeArgv(['start', '--no-invite', '--json']), this.env, 'ignore', this.stderrFile)
    await node.waitFor('the department node to start', l => l.peerId != null, 60_000)
    return node
  }

  get caPath (): string {
    return join(this.dataDir, 'tls', 'ca.pem')
  }

  /** An invite for `handle`: its code and the link a browser opens. */
  async invite (handle: string): Promise<{ code: string, link: string }> {
    const invite = await runIn(this.hub, dakNodeArgv(['invite', '--handle', handle, '--name', handle.toUpperCase(), '--title', 'Field Officer', '--json']), 60_000, this.env)
    const { code, link } = invite.lines[0] ?? {}
    if (typeof code !== 'string' || typeof link !== 'string') throw new Error(`invite for ${handle} failed: ${invite.stderr}`)
    return { code, link }
  }

  /** Invite `handle`, enrol its device with `dak init`, and check it reaches the node. */
  async enrol (handle: string, dak: DakRunner): Promise<void> {
    const { code } = await this.invite(handle)
    // off loopback the node serves HTTPS only, with its department CA (docs/department-node.md, "HTTPS")
    const init = await dak(handle, ['init', '--invite', code, '--node', `https://${HUB_SERVICE_IP}:${HTTP_PORT}`, '--ca', this.caPath, '--json'], 60_000)
    if (init.code !== 0) throw new Error(`dak init ${handle} failed (${String(init.code)}): ${JSON.stringify(init.lines)} ${init.stderr}`)
    const status = await dak(handle, ['status', '--json', '--wait', '20'], 60_000)
    if (status.lines[0]?.departmentNodes !== 1) throw new Error(`${handle} did not reach the node: ${JSON.stringify(status.lines)} ${status.stderr}`)
  }
}
