/**
 * A QR code drawn on a canvas with the `qrcode` package (no network, no
 * images fetched). The package is loaded only when a safety number is shown:
 * it is the largest dependency and most sessions never open this screen.
 */
import { useEffect, useRef } from 'preact/hooks'
import { QR_SIZE_PX } from '../constants.js'

interface Props {
  payload: string
  label: string
  onError: (err: unknown) => void
}

export function QrCode ({ payload, label, onError }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    let current = true
    import('qrcode').then(async ({ toCanvas }) => {
      if (!current || canvas.current === null) return
      // Dark on white with a quiet zone, whatever the page colours, so every scanner reads it.
      await toCanvas(canvas.current, payload, {
        width: QR_SIZE_PX,
        margin: 4,
        errorCorrectionLevel: 'M',
        color: { dark: '#000000', light: '#ffffff' }
      })
    }).catch(onError)
    return () => { current = false }
  }, [payload, onError])
  return <canvas ref={canvas} class="qr" width={QR_SIZE_PX} height={QR_SIZE_PX} role="img" aria-label={label} data-testid="safety-qr" />
}
