/**
 * When a call falls back to audio: from getStats samples of one peer
 * connection, is the link too poor for video? Pure, with hysteresis so video
 * does not flap on and off: poor after POOR_SAMPLES bad samples in a row,
 * good again only after GOOD_SAMPLES good ones.
 */

export interface LinkSample {
  /** Fraction of our packets the other side reports lost (remote-inbound-rtp fractionLost), 0..1. */
  lossFraction?: number
  /** The congestion controller's estimate of what we may send (candidate-pair availableOutgoingBitrate), bit/s. */
  availableOutgoingBitrate?: number
}

/** 10% loss: video freezes and smears well before that; audio (Opus FEC) holds up far beyond it. */
export const POOR_LOSS_FRACTION = 0.1
/** Below about 150 kbit/s a VP8 stream is a slideshow that also starves the audio. */
export const POOR_BITRATE = 150_000
export const POOR_SAMPLES = 2
export const GOOD_SAMPLES = 5
/** How often the call samples getStats. */
export const SAMPLE_INTERVAL_MS = 2_000

export interface LinkQuality { poor: boolean, bad: number, good: number }

export const INITIAL_QUALITY: LinkQuality = { poor: false, bad: 0, good: 0 }

/**
 * While video is off for a poor link, only loss counts: with audio alone the
 * sender's bandwidth estimate is not probed upwards, so it would keep video
 * off for good.
 */
export function isBadSample (sample: LinkSample, videoOff = false): boolean {
  return (sample.lossFraction !== undefined && sample.lossFraction >= POOR_LOSS_FRACTION) ||
    (!videoOff && sample.availableOutgoingBitrate !== undefined && sample.availableOutgoingBitrate < POOR_BITRATE)
}

export function nextQuality (quality: LinkQuality, sample: LinkSample): LinkQuality {
  const bad = isBadSample(sample, quality.poor)
  const badRun = bad ? quality.bad + 1 : 0
  const goodRun = bad ? 0 : quality.good + 1
  if (!quality.poor && badRun >= POOR_SAMPLES) return { poor: true, bad: badRun, good: 0 }
  if (quality.poor && goodRun >= GOOD_SAMPLES) return { poor: false, bad: 0, good: goodRun }
  return { poor: quality.poor, bad: badRun, good: goodRun }
}
