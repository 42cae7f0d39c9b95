import type { ConnectionEncrypter, MessageStream } from '@libp2p/interface'

/**
 * Noise hands the transport each message as two buffers, its 2-byte length and
 * its ciphertext, and libp2p's TCP transport writes each buffer with its own
 * `socket.write` under TCP_NODELAY: every Noise message left as two TCP
 * segments, a 12-byte yamux frame as two packets and some 134 bytes of IP
 * (docs/field.md, section 6). This wraps an encrypter so that what it sends on
 * the raw connection is joined into one buffer first: one write, one segment.
 *
 * The wrapper is a Proxy of the connection that changes `send` only; every
 * other property and method is the connection's own (methods bound to it), so
 * the handshake and the encrypted stream see the connection they expect.
 */
export function oneWritePerSend<T extends MessageStream> (connection: T): T {
  return new Proxy(connection, {
    get (target, property) {
      if (property === 'send') {
        return (data: Uint8Array | { subarray: () => Uint8Array }): boolean => target.send(data instanceof Uint8Array ? data : data.subarray())
      }
      const value: unknown = Reflect.get(target, property, target)
      // methods (EventTarget's among them) must run on the connection itself; a
      // function-valued field (its logger, which has properties of its own) is passed as it is
      return typeof value === 'function' && !Object.hasOwn(target, property) ? value.bind(target) : value
    }
  })
}

/** An encrypter factory whose connections write each message whole (see above). */
export function oneWriteEncrypter<C> (factory: (components: C) => ConnectionEncrypter): (components: C) => ConnectionEncrypter {
  return (components) => {
    const encrypter = factory(components)
    return Object.create(encrypter, {
      secureOutbound: { value: async (connection: MessageStream, options?: Parameters<ConnectionEncrypter['secureOutbound']>[1]) => await encrypter.secureOutbound(oneWritePerSend(connection), options) },
      secureInbound: { value: async (connection: MessageStream, options?: Parameters<ConnectionEncrypter['secureInbound']>[1]) => await encrypter.secureInbound(oneWritePerSend(connection), options) }
    }) as ConnectionEncrypter
  }
}
