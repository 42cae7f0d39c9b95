/**
 * Bundle-size probe, not run: what the web client will carry once
 * web/src/platform.ts is wired to the real browser messenger — the browser
 * build of @dak/node (libp2p with Dak's transports, gate and gossip), the
 * device store on browser-level, and all of @dak/protocol (MLS with the
 * post-quantum suite). benches/web.ts bundles it with web/vite.config.ts.
 * TODO(engine): add the messenger engine's browser factory here once it exists.
 */
export { createDakLibp2p } from '@dak/node/net'
export { openDeviceStore } from '../../../node/src/storage/index.js'
export { BrowserLevel } from 'browser-level'
export * from '@dak/protocol'
