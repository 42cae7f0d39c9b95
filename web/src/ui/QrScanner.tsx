/**
 * Reads a QR code with the device's camera (the `jsqr` package, loaded only
 * when a scan starts, as `qrcode` is for drawing one). Nothing leaves the
 * page: frames are searched here and the camera is released as soon as a
 * code is read or the officer cancels.
 */
import { useEffect, useRef } from 'preact/hooks'
import { QR_SCAN_EVERY_MS } from '../constants.js'
import { DakBrowserError } from '../platform/errors.js'

/** The camera could not be opened for a scan (none, in use, or permission refused). */
export class CameraUnavailableError extends DakBrowserError { override name = 'CameraUnavailableError' }

interface Props {
  /** What the camera is pointed at, for screen readers and the caption. */
  label: string
  onResult: (text: string) => void
  onCancel: () => void
  onError: (err: unknown) => void
}

export function QrScanner ({ label, onResult, onCancel, onError }: Props) {
  const video = useRef<HTMLVideoElement>(null)
  useEffect(() => {
    let stopped = false
    let stream: MediaStream | undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    const release = (): void => { for (const track of stream?.getTracks() ?? []) track.stop() }
    const start = async (): Promise<void> => {
      const [{ default: jsQR }, media] = await Promise.all([
        import('jsqr'),
        navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).catch((err: unknown) => {
          throw new CameraUnavailableError(`the camera could not be opened: ${err instanceof Error ? err.message : String(err)}`)
        })
      ])
      stream = media
      if (stopped || video.current === null) { release(); return }
      video.current.srcObject = media
      await video.current.play()
      const canvas = document.createElement('canvas')
      const context = canvas.getContext('2d', { willReadFrequently: true })
      if (context === null) throw new Error('this browser cannot read pictures from the camera')
      const look = (): void => {
        if (stopped) return
        const frame = video.current
        if (frame !== null && frame.videoWidth > 0) {
          canvas.width = frame.videoWidth
          canvas.height = frame.videoHeight
          context.drawImage(frame, 0, 0)
          const image = context.getImageData(0, 0, canvas.width, canvas.height)
          const found = jsQR(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' })
          if (found !== null && found.data !== '') {
            stopped = true
            release()
            onResult(found.data)
            return
          }
        }
        timer = setTimeout(look, QR_SCAN_EVERY_MS)
      }
      look()
    }
    start().catch((err: unknown) => { if (!stopped) { release(); onError(err) } })
    return () => { stopped = true; clearTimeout(timer); release() }
  }, [onResult, onError])
  return (
    <div class="qr-scanner stack" data-testid="qr-scanner">
      <video ref={video} muted playsInline aria-label={label} />
      <p class="muted">{label}</p>
      <button type="button" data-testid="qr-scan-cancel" onClick={onCancel}>Cancel</button>
    </div>
  )
}
