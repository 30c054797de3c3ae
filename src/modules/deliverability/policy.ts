import { DEFAULT_SOFT_BOUNCE_POLICY, type SoftBouncePolicy } from './bounces.js'
import { type BreakerPolicy, DEFAULT_BREAKER_POLICY } from './breaker.js'

/** The deliverability settings the email worker applies (config: RAPPORT_SOFT_BOUNCE_*, RAPPORT_BREAKER_*). */
export interface DeliverabilityPolicy {
  softBounces: SoftBouncePolicy
  breaker: BreakerPolicy
}

export const DEFAULT_DELIVERABILITY_POLICY: DeliverabilityPolicy = {
  softBounces: DEFAULT_SOFT_BOUNCE_POLICY,
  breaker: DEFAULT_BREAKER_POLICY,
}
