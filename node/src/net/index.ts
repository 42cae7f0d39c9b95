/**
 * @dak/node/net: Dak's libp2p assembly, the certificate gate, validation of
 * gossip at the door, and request/response for Dak protocols. docs/network.md
 * describes the design; the browser build is index.browser.ts.
 */
export { createDakLibp2p, dakNodeLibp2pConfig, type DakNodeLibp2pOptions } from './libp2p.js'
export * from './shared.js'
