/** Browser entry of @dak/node/net: the same API, with the browser's transports. */
export { createDakLibp2p, type DakBrowserLibp2pOptions } from './libp2p.browser.js'
export * from './shared.js'
