import type { NodeTls } from '../node/node-tls.js'

/** What department IT reads after `dak-node tls init` or a first HTTPS start: the CA to install and how. */
export function caInstallText (caPath: string, fingerprint: string, department: string): string {
  return [
    `Department CA: ${caPath}`,
    `  SHA-256 fingerprint: ${fingerprint}`,
    'Install it on every officer\'s machine, after comparing the fingerprint (details: docs/department-node.md, "HTTPS"):',
    `  Debian/Ubuntu:   sudo cp ca.pem /usr/local/share/ca-certificates/dak-${department}.crt && sudo update-ca-certificates`,
    `  Chromium (Linux, its own NSS store):  certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "Dak ${department}" -i ca.pem`,
    '  Windows (administrator):  certutil -addstore -f Root ca.pem   — or Group Policy / Intune for the whole department',
    '  dak devices:     NODE_EXTRA_CA_CERTS=ca.pem dak init …  (or dak init --ca ca.pem)'
  ].join('\n')
}

/** The HTTPS lines of `dak-node start`. */
export function tlsStartText (tls: NodeTls | undefined, department: string): string[] {
  if (tls == null) return ['  https:      off (loopback only: http://127.0.0.1 is a secure context)']
  const lines = [`  https:      ${tls.served.certPath}${tls.managed ? ' (department CA; renewed 30 days before it expires)' : ' (reloaded when the file changes)'}`]
  if (tls.created != null) lines.push('', 'Made the department CA for HTTPS, for: ' + tls.created.names.join(', '), caInstallText(tls.created.paths.caCert, tls.created.fingerprint, department), '')
  else if (tls.ca != null) lines.push(`  CA:         ${tls.ca.path}  SHA-256 ${tls.ca.fingerprint}`)
  return lines
}
