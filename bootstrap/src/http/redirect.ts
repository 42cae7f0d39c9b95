import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * What plain HTTP gets from a node that serves HTTPS: a permanent redirect to
 * the same path on the https:// address (the configured one, never the Host
 * header, so the answer cannot be steered elsewhere), with a short page for
 * whatever does not follow redirects. Never the app: outside https:// and
 * localhost a browser gives the page no WebCrypto, and Dak could not start.
 */
export function redirectToHttps (request: IncomingMessage, response: ServerResponse, httpsUrl: string): void {
  const raw = request.url ?? '/'
  // one leading slash: '//elsewhere/x' would otherwise resolve to another host
  const path = raw.startsWith('/') ? '/' + raw.replace(/^\/+/, '') : '/'
  const target = new URL(path, httpsUrl).href
  const escaped = target.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')
  response.writeHead(308, { location: target, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
  response.end(`<!doctype html><meta charset="utf-8"><title>Dak: use the secure address</title>
<h1>This department node serves Dak over HTTPS only</h1>
<p>Open <a href="${escaped}">${escaped}</a>.</p>
<p>If your browser warns about the certificate, ask your department IT to install the department's certificate authority on this computer.</p>
`)
}
