import type { Plugin } from 'vite'

/**
 * A fix for a race in @libp2p/webrtc 6.0.33 (private-to-private
 * initiate-connection.js, the same in js-libp2p main as of 2026-07): the
 * dialling browser creates an 'init' data channel, and once the peer
 * connection is up it waits for that channel's `open` event, then closes it
 * and waits for `close`. The answering side closes the 'init' channel the
 * moment it arrives (muxer.js onDataChannel). When the dialler's page is busy
 * (it usually is: it has just processed an MLS Welcome), Chromium can deliver
 * the channel's open and close before the peer connection's `connected`, so
 * the dialler then waits for an `open` that already happened, and the dial
 * times out. Seen in about one dial in six between two headless Chromiums;
 * logged as `wait for init channel to open` with readyState already "closed".
 *
 * The replacement waits for `open` only while the channel is still
 * connecting (or for `close`, whichever comes first) and closes it only if it
 * is not closed yet. If a libp2p upgrade changes the code, the build fails
 * here, so the patch is looked at again rather than silently dropped.
 */
const TARGET = '@libp2p/webrtc/dist/src/private-to-private/initiate-connection.js'

const ORIGINAL = `        if (channel.readyState !== 'open') {
            log.trace('wait for init channel to open');
            await pEvent(channel, 'open', {
                signal
            });
        }
        log.trace('closing init channel');
        channel.close();
        // wait for init channel to close before proceeding, otherwise the channel
        // id can be reused before both sides have seen the channel close
        log.trace('waiting for init channel to close');
        await pEvent(channel, 'close', {
            signal
        });
`

const REPLACEMENT = `        if (channel.readyState === 'connecting') {
            log.trace('wait for init channel to open');
            await pEvent(channel, ['open', 'close'], {
                signal
            });
        }
        if (channel.readyState !== 'closed') {
            log.trace('closing init channel');
            const closed = pEvent(channel, 'close', {
                signal
            });
            channel.close();
            // wait for init channel to close before proceeding, otherwise the channel
            // id can be reused before both sides have seen the channel close
            log.trace('waiting for init channel to close');
            await closed;
        }
`

export function webrtcInitChannelFix (): Plugin {
  return {
    name: 'dak:webrtc-init-channel-fix',
    transform (code, id) {
      if (!id.replace(/\\/g, '/').endsWith(TARGET)) return null
      if (!code.includes(ORIGINAL)) this.error(`${TARGET} changed: check whether the init channel race (web/build/webrtc-init-channel.ts) is fixed upstream, then update or drop this patch`)
      return { code: code.replace(ORIGINAL, REPLACEMENT), map: null }
    }
  }
}
