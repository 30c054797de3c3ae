import { type BounceClassification, classifySendFailure } from '../classify.js'
import type { DsnRecipient } from './report.js'

const ENHANCED = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/

/**
 * Classifies a DSN's failed block with the send-time rules (classify.ts). The Status field is the
 * reporting MTA's verdict (RFC 3464 §2.3.4) and goes first, unless it is the vague `x.0.0` and the
 * Diagnostic-Code (the remote server's own reply) has a precise code. The Diagnostic-Code is kept
 * as the bounce's description; its basic code (550) as the return code.
 */
export function classifyDsnFailure(r: DsnRecipient): BounceClassification {
  const diagnostic = r.diagnosticCode?.slice(0, 1000) ?? null
  const basic = diagnostic ? /^([245]\d\d)\b/.exec(diagnostic)?.[1] : undefined
  const fromDiagnostic = diagnostic ? ENHANCED.exec(diagnostic)?.[0] : undefined
  const isVague = !r.status || /^\d\.0\.0$/.test(r.status)
  const enhanced = isVague && fromDiagnostic ? fromDiagnostic : (r.status ?? fromDiagnostic ?? null)
  // Without a reply code the class of the status stands for it: "failed" with 5.x.x is permanent.
  const klass = enhanced?.[0] ?? basic?.[0] ?? '5'
  const classified = classifySendFailure({
    response: [enhanced, diagnostic].filter(Boolean).join(' '),
    responseCode: basic ? Number(basic) : Number(klass) * 100 + 50,
  })
  return {
    ...classified,
    returnCode: basic ? Number(basic) : null,
    enhancedCode: enhanced,
    smtpDescription: diagnostic ?? `Status: ${r.status ?? 'unknown'}`,
  }
}
