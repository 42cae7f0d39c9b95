import { describe, expect, it } from 'vitest'
import { MemoryLevel } from 'memory-level'
import { checkEnrolmentUrl, enrolDevice } from './enrol-device.js'
import { InsecureEnrolmentError } from './enrol-errors.js'

describe('where a device may enrol', () => {
  it('allows https anywhere and plain http only to this machine', () => {
    for (const url of ['https://dak.mof.gov.example', 'https://10.0.0.5:8443/', 'http://127.0.0.1:8080', 'http://127.8.9.1', 'http://localhost:5173', 'http://[::1]:8080', 'http://dak.localhost']) {
      expect(() => { checkEnrolmentUrl(url) }, url).not.toThrow()
    }
    for (const url of ['http://10.0.0.5:8080', 'http://192.168.1.20', 'http://dak.mof.gov.example', 'http://[fe80::1]:8080', 'http://127.0.0.1.example.com', 'http://localhost.example.com']) {
      expect(() => { checkEnrolmentUrl(url) }, url).toThrow(InsecureEnrolmentError)
    }
    expect(() => { checkEnrolmentUrl('ftp://10.0.0.5') }).toThrow(/must start with https/)
  })

  it('refuses plain http to a LAN address before anything is sent, and says what to ask for', async () => {
    const sent: string[] = []
    const fetch = async (input: string | URL | Request): Promise<Response> => { sent.push(String(input)); return new Response(null, { status: 500 }) }
    const db = new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' })
    const attempt = enrolDevice({ db, invite: 'DAK-0000-0000-0000-0000-0', nodeUrl: 'http://192.168.1.20:8080', fetch })
    await expect(attempt).rejects.toThrow(InsecureEnrolmentError)
    await expect(attempt).rejects.toThrow(/ask your department IT for the https:\/\/ address/i)
    expect(sent).toEqual([])
    expect(db.status).toBe('closed')
  })
})
