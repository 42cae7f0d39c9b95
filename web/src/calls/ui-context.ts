/** The call manager, for the call buttons and the call layer; null where calls are not available. */
import { createContext } from 'preact'
import { useContext, useEffect, useState } from 'preact/hooks'
import type { Calls, CallView } from './types.js'

export const CallsContext = createContext<Calls | null>(null)

export function useCalls (): Calls | null {
  return useContext(CallsContext)
}

/** The call in progress, re-rendered on every change. */
export function useCurrentCall (calls: Calls | null): CallView | null {
  const [view, setView] = useState<CallView | null>(() => calls?.current() ?? null)
  useEffect(() => {
    if (calls === null) return
    setView(calls.current())
    return calls.onChange(setView)
  }, [calls])
  return view
}
