import { bytesEqual, decodeBounded, MAX_REGISTER_TOPICS_BYTES, openEnvelope, rpc } from '@dak/protocol'
import { decodeRequest, encodeResponse, inboxTopic } from '@dak/protocol/department'
import type { RequestHandler } from '@dak/node/net'
import { ownDevice, type ProtocolDeps } from './deps.js'
import { NotYourDeviceError, TopicNotRegisteredError, UnknownSenderError } from './errors.js'
import { PROTOCOL_LIMITS } from './ids.js'
import { checkTopicAccess } from './topic-access.js'

/**
 * Store-and-forward for this department's devices: register the topics to
 * keep, deposit an envelope (answered with a signed StoreReceipt once it is
 * durable, then gossiped to the members online), and catch up page by page.
 */

export function registerTopicsHandler (deps: ProtocolDeps): RequestHandler {
  return async (bytes, context) => {
    const certificate = ownDevice(deps, context)
    const signed = decodeRequest(bytes, 'registerTopics', PROTOCOL_LIMITS.registerTopics.maxRequestBytes)
    // the key that signed must be the connection's: a device registers for itself only
    const body = decodeBounded(rpc.RegisterTopicsBody, signed.body, MAX_REGISTER_TOPICS_BYTES, 'topic registration body')
    if (!bytesEqual(body.devicePublicKey, certificate.devicePublicKey)) throw new NotYourDeviceError('a device registers topics for itself only')
    for (const topic of body.topics) await checkTopicAccess(deps, topic, certificate.devicePublicKey, 'read')
    const previous = await deps.topics.topicsOf(certificate.devicePublicKey)
    const registration = await deps.topics.register(rpc.RegisterTopics.encode(signed), deps.now())
    await deps.onRegistered(previous, registration.topics, certificate.devicePublicKey)
    deps.count('registration')
    return encodeResponse('registerTopics', { topics: registration.topics.length })
  }
}

export function depositHandler (deps: ProtocolDeps): RequestHandler {
  return async (bytes, context) => {
    ownDevice(deps, context)
    const { envelope } = decodeRequest(bytes, 'deposit', PROTOCOL_LIMITS.deposit.maxRequestBytes)
    const now = deps.now()
    // opened here too (the store opens it again) because the sender must be checked before anything is stored
    const opened = openEnvelope(envelope, now)
    if (!deps.isKnownDevice(opened.sender)) throw new UnknownSenderError('the envelope\'s sender holds no valid certificate known here')
    await checkTopicAccess(deps, opened.topic, opened.sender, 'write')
    const outcome = await deps.store.deposit(envelope, now)
    deps.count(outcome.duplicate ? 'duplicate' : 'deposit')
    if (!outcome.duplicate) deps.publish(opened.topic, envelope)
    return encodeResponse('deposit', outcome)
  }
}

export function queryHandler (deps: ProtocolDeps): RequestHandler {
  return async (bytes, context) => {
    const certificate = ownDevice(deps, context)
    const query = decodeRequest(bytes, 'query', PROTOCOL_LIMITS.query.maxRequestBytes)
    // a device reads what it asked this node to keep (and its inbox), not every conversation here
    const device = certificate.devicePublicKey
    if (query.topic !== inboxTopic(device) && !(await deps.topics.topicsOf(device)).includes(query.topic)) {
      throw new TopicNotRegisteredError('register a topic before catching up on it')
    }
    // registered while a member is not enough: membership is checked on every page
    await checkTopicAccess(deps, query.topic, device, 'read')
    const page = await deps.store.query(query.topic, query.afterSequence, query.limit, query.maxBytes)
    deps.count('query')
    return encodeResponse('query', page)
  }
}
