import { checkHandle, InvalidArgumentError, MalformedInputError, toHex, type Certificate } from '@dak/protocol'
import { decodeRequest, encodeResponse, HeldKeyPackages, MAX_HELD_KEY_PACKAGE_REFS } from '@dak/protocol/department'
import { TokenBuckets, type Rate, type RequestHandler } from '@dak/node/net'
import { ownDevice, peerCertificate, type ProtocolDeps } from './deps.js'
import { PROTOCOL_LIMITS } from './ids.js'

/**
 * The key-package directory: a device stocks packages for itself; anyone
 * verified takes one package per device of an officer (each handed out once)
 * to add them to a conversation.
 */

export function uploadKeyPackagesHandler (deps: ProtocolDeps): RequestHandler {
  return async (bytes, context) => {
    const certificate = ownDevice(deps, context)
    const upload = decodeRequest(bytes, 'uploadKeyPackages', PROTOCOL_LIMITS.uploadKeyPackages.maxRequestBytes)
    const lastResort = upload.lastResort.length > 0 ? upload.lastResort : undefined
    for (const [i, p] of [...upload.keyPackages, ...(lastResort == null ? [] : [lastResort])].entries()) checkBelongs(p, certificate, i)
    const stock = await deps.keyPackages.upload(certificate.devicePublicKey, certificate.handle, upload.keyPackages, lastResort)
    deps.count('keyPackagesUploaded')
    return encodeResponse('uploadKeyPackages', { stock })
  }
}

/** Which of the asking device's one-time packages are still here (the request is empty). */
export function heldKeyPackagesHandler (deps: ProtocolDeps): RequestHandler {
  return async (_bytes, context) => {
    const certificate = ownDevice(deps, context)
    return HeldKeyPackages.encode(await deps.keyPackages.held(certificate.devicePublicKey, MAX_HELD_KEY_PACKAGE_REFS))
  }
}

/**
 * One-time packages a requester may take of one officer (or device), and in
 * all. An honest device takes one per device of each officer it adds; taking
 * the same officer's again and again is draining them. Past either budget the
 * requester is served the target's last-resort package instead: it still
 * starts its conversation (last-resort packages are reusable, RFC 9420 §16.8:
 * a Welcome made from one is joined, and the package stays), and the
 * officer's one-time stock stays for others. The cost of that reuse is weaker
 * forward secrecy for the joins made from it until the joiner's first update.
 */
export const ONE_TIME_PER_TARGET: Rate = { capacity: 2, refillPerSecond: 1 / 600 }
export const ONE_TIME_PER_REQUESTER: Rate = { capacity: 64, refillPerSecond: 64 / 3_600 }
/** Requesters (and requester × target pairs) tracked at once; the oldest are forgotten first. */
const MAX_TRACKED_REQUESTERS = 4_096

export function fetchKeyPackagesHandler (deps: ProtocolDeps): RequestHandler {
  const perTarget = new TokenBuckets({ ...ONE_TIME_PER_TARGET, maxKeys: MAX_TRACKED_REQUESTERS, now: deps.now })
  const perRequester = new TokenBuckets({ ...ONE_TIME_PER_REQUESTER, maxKeys: MAX_TRACKED_REQUESTERS, now: deps.now })
  return async (bytes, context) => {
    const requester = toHex(peerCertificate(deps, context).devicePublicKey)
    const target = decodeRequest(bytes, 'fetchKeyPackage', PROTOCOL_LIMITS.fetchKeyPackages.maxRequestBytes)
    const targetKey = target.handle ?? (target.devicePublicKey != null ? toHex(target.devicePublicKey) : '')
    const lastResortOnly = !(perTarget.level(`${requester} ${targetKey}`) >= 1 && perRequester.level(requester) >= 1)
    if (!lastResortOnly) {
      perTarget.take(`${requester} ${targetKey}`)
      perRequester.take(requester)
    } else {
      deps.count('keyPackagesLastResortOnly')
    }
    const options = { lastResortOnly }
    let taken
    if (target.handle != null) {
      try {
        checkHandle(target.handle)
      } catch (err) {
        throw new InvalidArgumentError((err as Error).message)
      }
      taken = await deps.keyPackages.takeForHandle(target.handle, options)
    } else if (target.devicePublicKey != null) {
      taken = [await deps.keyPackages.take(target.devicePublicKey, options)]
    } else {
      throw new MalformedInputError('fetch a key package by handle or by device key')
    }
    deps.count('keyPackagesFetched')
    return encodeResponse('fetchKeyPackage', { packages: taken.map(t => ({ devicePublicKey: t.deviceKey, keyPackage: t.keyPackage, lastResort: t.lastResort })) })
  }
}

/**
 * A cheap check that a package is the uploader's own: a Dak key package's
 * credential is the device certificate's bytes and its leaf carries the
 * certified MLS key, so both keys appear verbatim in it. Members still
 * verify the package properly (signature, certificate) before using it.
 */
function checkBelongs (keyPackage: Uint8Array, certificate: Certificate, index: number): void {
  const haystack = Buffer.from(keyPackage.buffer, keyPackage.byteOffset, keyPackage.byteLength)
  for (const key of [certificate.devicePublicKey, certificate.mlsSignatureKey]) {
    if (haystack.indexOf(Buffer.from(key.buffer, key.byteOffset, key.byteLength)) < 0) {
      throw new InvalidArgumentError(`key package ${index} does not carry this device's certificate`)
    }
  }
}
