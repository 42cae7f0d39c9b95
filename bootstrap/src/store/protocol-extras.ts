/**
 * Protocol modules that @dak/protocol's index does not export yet (rpc.proto's
 * codecs and store receipts). Imported by path in this one place; when the
 * index exports them, this file becomes `export … from '@dak/protocol'`.
 * The paths resolve to the same files as the package, so classes (and
 * `instanceof DakError`) are shared.
 */
export * as rpc from '../../../protocol/src/wire/rpc.js'
export { issueStoreReceipt, verifyStoreReceipt, MAX_STORE_RECEIPT_BYTES, type SignedStoreReceipt, type StoreReceiptFields } from '../../../protocol/src/envelope/store-receipt.js'
