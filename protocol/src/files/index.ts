/** Attachments (docs/files.md): manifests, chunk encryption, file ids. Pure: bytes and randomness in, bytes out. */
export * from './limits.js'
export { checkFileName, checkFileSize, checkManifest, checkMediaType, chunkCount, decodeManifest, encodeManifest, chunkPlainLength, chunkSizeFor, manifestFromWire, manifestToWire, type FileManifest } from './manifest.js'
export { checkChunk, chunkHash, fileIdOf, openCheckedChunk, openChunk, openFile, sealChunk, sealFile, type FileDescription, type SealedFile } from './chunk-cipher.js'
