/**
 * @dak/node: the client node. Entry points re-export each area; the browser
 * build (index.browser.ts, chosen by the `browser` export condition) swaps in
 * browser transports and storage.
 */
export * from './net/index.js'
