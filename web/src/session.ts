import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { Mode } from './api.js'
import type { SessionView } from './types.js'

export interface SessionState {
  session: SessionView
  /** Owners and admins: API keys, webhooks, audit log, usage and invites. */
  isAdmin: boolean
  mode: Mode
  signOut(): Promise<void>
}

export const SessionContext = createContext<SessionState | null>(null)

export function useSession(): SessionState {
  const state = useContext(SessionContext)
  if (!state) throw new Error('useSession outside a signed-in page')
  return state
}
