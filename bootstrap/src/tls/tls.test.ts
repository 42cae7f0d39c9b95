import { X509Certificate } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { get as httpsGet } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../config/config.js'
import { createDepartmentNode } from '../node/department-node.js'
import { checkPair, createDepartmentCa, describeCertificate, issueServerCertificate, RENEW_BEFORE_DAYS, SERVER_VALIDITY_DAYS } from './certificates.js'
import { chooseTls, departmentTlsPaths, initDepartmentTls, renewServerCertificate } from './department-tls.js'
import { TlsAlreadyInitialisedError, TlsConfigError } from './errors.js'
import { ServedCertificate } from './served-certificate.js'

const DAY_MS = 86_400_000
const dirs: string[] = []
async function tempDir (): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dak-tls-'))
  dirs.push(dir)
  return dir
}
afterEach(async () => { for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true }) })

/**
 * The serial of the certificate a TLS server on 127.0.0.1:port presents.
 * Not verified here: the node's clock is moved weeks ahead, so its renewed
 * certificate is "not yet valid" for this process; the test compares it
 * with the file instead.
 */
async function servedSerial (port: number): Promise<string> {
  return await new Promise((resolve, reject) => {
    const request = httpsGet({ host: '127.0.0.1', port, path: '/health', rejectUnauthorized: false, agent: false }, (response) => {
      const socket = response.socket as import('node:tls').TLSSocket
      resolve(socket.getPeerCertificate().serialNumber)
      response.resume()
    })
    request.on('error', reject)
  })
}

describe('department CA and server certificates', () => {
  it('issues a server certificate the CA verifies, for exactly the names asked, within the CA\'s name constraints', async () => {
    const ca = await createDepartmentCa('Budget, Division', ['dak.example.gov', '10.1.2.3'])
    const server = await issueServerCertificate(ca, ['dak.example.gov', '10.1.2.3'])
    const caCert = new X509Certificate(ca.cert)
    const cert = new X509Certificate(server.cert)
    expect(caCert.ca).toBe(true)
    expect(cert.ca).toBe(false)
    expect(cert.checkIssued(caCert)).toBe(true)
    expect(cert.verify(caCert.publicKey)).toBe(true)
    expect(cert.checkHost('dak.example.gov')).toBe('dak.example.gov')
    expect(cert.checkIP('10.1.2.3')).toBe('10.1.2.3')
    expect(cert.checkHost('elsewhere.example')).toBeUndefined()
    expect(describeCertificate(server.cert).names).toEqual(['dak.example.gov', '10.1.2.3'])
    // the name-constraints extension (2.5.29.30) is in the CA certificate
    expect(Buffer.from(caCert.raw).includes(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x1e]))).toBe(true)
    expect(() => { checkPair(server, 'server') }).not.toThrow()
    expect(() => { checkPair({ cert: server.cert, key: ca.key }, 'mixed') }).toThrow(TlsConfigError)
  })

  it('init makes the CA once; renewal happens only inside the last 30 days, or when forced', async () => {
    const dataDir = await tempDir()
    const now = Date.now()
    const made = await initDepartmentTls(dataDir, 'Budget', ['localhost', '127.0.0.1'], now)
    expect(made.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    await expect(initDepartmentTls(dataDir, 'Budget', ['localhost'], now)).rejects.toThrow(TlsAlreadyInitialisedError)
    const paths = departmentTlsPaths(dataDir)
    const first = describeCertificate(await readFile(paths.cert, 'utf8'))
    expect(await renewServerCertificate(dataDir, now + (SERVER_VALIDITY_DAYS - RENEW_BEFORE_DAYS - 1) * DAY_MS)).toBe(false)
    expect(await renewServerCertificate(dataDir, now + (SERVER_VALIDITY_DAYS - RENEW_BEFORE_DAYS + 1) * DAY_MS)).toBe(true)
    const renewed = describeCertificate(await readFile(paths.cert, 'utf8'))
    expect(renewed.serial).not.toBe(first.serial)
    expect(renewed.names).toEqual(first.names)
    expect(await renewServerCertificate(dataDir, now, true)).toBe(true)
  })

  it('chooses plain HTTP on loopback, the department CA elsewhere, and the configured files when given', async () => {
    const dataDir = await tempDir()
    expect(await chooseTls({ dataDir, departmentName: 'Budget', host: '127.0.0.1', publicHost: '127.0.0.1' })).toBeUndefined()
    const lan = await chooseTls({ dataDir, departmentName: 'Budget', host: '192.0.2.7', publicHost: 'dak.example.gov' })
    expect(lan?.managed).toBe(true)
    expect(lan?.created?.names).toEqual(expect.arrayContaining(['dak.example.gov', '192.0.2.7']))
    const own = await chooseTls({ dataDir, departmentName: 'Budget', host: '127.0.0.1', publicHost: '127.0.0.1', tlsCert: '/etc/x.pem', tlsKey: '/etc/x.key' })
    expect(own).toEqual({ cert: '/etc/x.pem', key: '/etc/x.key', managed: false })
  })

  it('re-reads changed files, and keeps serving the old pair while the new key does not match', async () => {
    const dir = await tempDir()
    const ca = await createDepartmentCa('Budget', ['localhost'])
    const one = await issueServerCertificate(ca, ['localhost'])
    const two = await issueServerCertificate(ca, ['localhost'])
    const [cert, key] = [join(dir, 'c.pem'), join(dir, 'k.pem')]
    await writeFile(cert, one.cert)
    await writeFile(key, one.key)
    const served = await ServedCertificate.load(cert, key)
    const seen: string[] = []
    served.onChange((pem) => { seen.push(pem.cert) })
    expect(await served.check()).toBe(false)
    await writeFile(cert, two.cert) // the key is not there yet
    await expect(served.check()).rejects.toThrow(TlsConfigError)
    expect(served.current.cert).toBe(one.cert)
    await writeFile(key, two.key)
    expect(await served.check()).toBe(true)
    expect(served.current).toEqual(two)
    expect(seen).toEqual([two.cert])
  })
})

describe('a department node with HTTPS', () => {
  it('renews its certificate in maintenance when under 30 days remain and serves it without a restart', async () => {
    const dataDir = await tempDir()
    await initDepartmentTls(dataDir, 'Budget', ['localhost', '127.0.0.1'])
    let offset = 0
    const config = await loadConfig({ overrides: { dataDir, host: '127.0.0.1', publicHost: '127.0.0.1', tcpPort: 0, wsPort: 0, webrtcDirectPort: 0, httpPort: 0 } })
    const node = await createDepartmentNode(config, { onError: () => {}, now: () => Date.now() + offset })
    try {
      expect(node.webUrl.startsWith('https://')).toBe(true)
      const port = Number(new URL(node.httpUrl).port)
      const before = await servedSerial(port)
      await node.maintain()
      expect(await servedSerial(port)).toBe(before)
      offset = (SERVER_VALIDITY_DAYS - RENEW_BEFORE_DAYS + 1) * DAY_MS
      await node.maintain()
      const after = await servedSerial(port)
      expect(after).not.toBe(before)
      expect(after).toBe(describeCertificate(await readFile(departmentTlsPaths(dataDir).cert, 'utf8')).serial)
    } finally {
      await node.stop()
    }
  })
})

describe('HTTPS settings', () => {
  it('takes certificate and key from the environment, both or neither, and a proxy address only as https://', async () => {
    const config = await loadConfig({ env: { DAK_TLS_CERT: 'c.pem', DAK_TLS_KEY: 'k.pem', DAK_PUBLIC_URL: 'https://dak.example.gov/' } })
    expect(config.tlsCert).toBe(join(process.cwd(), 'c.pem'))
    expect(config.tlsKey).toBe(join(process.cwd(), 'k.pem'))
    expect(config.publicUrl).toBe('https://dak.example.gov/')
    await expect(loadConfig({ env: { DAK_TLS_CERT: 'c.pem' } })).rejects.toThrow(/tlsCert and tlsKey go together/)
    await expect(loadConfig({ env: { DAK_PUBLIC_URL: 'http://dak.example.gov/' } })).rejects.toThrow(/https/)
  })
})

describe('behind a TLS-terminating reverse proxy', () => {
  it('names the proxy\'s https:// address, offers wss through it, and redirects what the proxy marks as plain HTTP', async () => {
    const dataDir = await tempDir()
    const config = await loadConfig({ overrides: { dataDir, host: '127.0.0.1', publicHost: '127.0.0.1', tcpPort: 0, wsPort: 0, webrtcDirectPort: 0, httpPort: 0, publicUrl: 'https://dak.example.gov/' } })
    const node = await createDepartmentNode(config, { onError: () => {} })
    try {
      expect(node.tls).toBeUndefined() // the proxy does TLS; the node stays plain HTTP on loopback
      expect(node.webUrl).toBe('https://dak.example.gov/')
      expect((await node.createInvite({ handle: 'asha', displayName: 'Asha Rao', title: 'Under Secretary' })).link.startsWith('https://dak.example.gov/#invite=')).toBe(true)
      const info = await (await fetch(new URL('/api/info', node.httpUrl))).json() as { webUrl: string, browserMultiaddrs: string[] }
      expect(info.webUrl).toBe('https://dak.example.gov/')
      expect(info.browserMultiaddrs[0]).toBe(`/dns/dak.example.gov/tcp/443/tls/ws/p2p/${node.peerId.toString()}`)
      const plain = await fetch(new URL('/api/info', node.httpUrl), { headers: { 'x-forwarded-proto': 'http' }, redirect: 'manual' })
      expect(plain.status).toBe(308)
      expect(plain.headers.get('location')).toBe('https://dak.example.gov/api/info')
    } finally {
      await node.stop()
    }
  })
})
