/**
 * The package's public API plus the outer wire codecs the vectors split into
 * body and signature. Vectors go through the public API on purpose: that is
 * what other packages and implementations depend on.
 */
export * from '@dak/protocol'
export { DeviceCertificate as DeviceCertificateCodec, RevocationList as RevocationListCodec } from '../../protocol/src/wire/generated/identity.js'
export { Envelope as EnvelopeCodec } from '../../protocol/src/wire/generated/envelope.js'
