/** @dak/node in the browser: the same API as index.ts, browser transports and storage. */
export * from './net/index.browser.js'
