/**
 * A component whose code loads on its first render, so the first paint does
 * not carry it (docs/web.md, *Bundle size*). Until it arrives it renders
 * `fallback`; the module is fetched once for all instances.
 */
import type { ComponentType, VNode } from 'preact'
import { useEffect, useState } from 'preact/hooks'

export function lazyComponent<P extends object> (load: () => Promise<ComponentType<P>>, fallback: (props: P) => VNode | null): ComponentType<P> {
  let loaded: ComponentType<P> | null = null
  let loading: Promise<void> | null = null
  const start = (): Promise<void> => {
    loading ??= load().then(component => { loaded = component }, (err: unknown) => {
      loading = null // a later render tries again, e.g. after a dropped connection
      console.error('A part of Dak could not be loaded', err)
    })
    return loading
  }
  return function Lazy (props: P) {
    const [, setReady] = useState(loaded !== null)
    useEffect(() => {
      if (loaded !== null) return
      let open = true
      void start().then(() => { if (open && loaded !== null) setReady(true) })
      return () => { open = false }
    }, [])
    const Component = loaded
    return Component !== null ? <Component {...props} /> : fallback(props)
  }
}
