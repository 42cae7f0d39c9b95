/** Attachments (docs/files.md): manifests, chunk encryption, file ids. Pure: bytes and randomness in, bytes out. */
export * from './limits.js'
export { checkFileName, checkFileSize, checkManifest, checkMediaType, chunkCount, decodeManifest, encodeManifest, chunkPlainLength, chunkSizeFor, manifestFromWire, manifestToWire, type FileManifest } from './manifest.js'
export { checkChunk, chunkHash, fileIdOf, openCheckedChunk, openChunk, openFile, sealChunk, sealFile, type FileDescription, type SealedFile } from './chunk-cipher.js'
/** ChaCha20-Poly1305 (RFC 8439) as file chunks use it: OpenSSL on Node.js, noble in the browser, the same bytes. */
export { openChunkBytes as openChaCha20Poly1305, sealChunkBytes as sealChaCha20Poly1305 } from '#chunk-crypto'
