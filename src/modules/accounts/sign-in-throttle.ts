import type { LoginRateClass } from '../../config.js'
import { ApiError } from '../../core/errors.js'
import { clientAddressKey } from '../../lib/client-address.js'
import { sha256Hex } from '../../lib/crypto.js'
import type { RateLimiter } from '../../ratelimit/limiter.js'

/** Every sign-in counter slides over this window. */
export const SIGN_IN_WINDOW_MS = 15 * 60_000

/**
 * Slows down password guessing without letting anyone lock a user out. No counter belongs to an
 * account alone, so failures sent from other addresses never stop its owner from signing in:
 *
 * - per client address (`ip`): every attempt, whatever the account;
 * - per account from one address (`account_ip`): every attempt;
 * - per account from all addresses (`account`): failures only. Beyond it the account is under a
 *   spread-out attack, and each address that fails on it has its `account_ip` budget spent at once,
 *   so that every further address gets one guess. An address with no failure on the account still
 *   gets in with the right password.
 *
 * So an attacker with N addresses gets about `account` + N guesses per window at one account, and a
 * correct password from an address that has not been failing always works. Every counter is kept by
 * the RateLimiter, exact across API processes with Redis. An IPv6 address counts by its /64 (one
 * host can rotate through it), as the API's own limits do.
 */
export class SignInThrottle {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly limits: Record<LoginRateClass, number>,
  ) {}

  /** Counts an attempt, before the password is checked; a 429 when its address or pair is spent. */
  async admit(email: string, ip: string | null): Promise<void> {
    const keys = keysOf(email, ip)
    for (const [key, limit] of [
      [keys.address, this.limits.ip],
      [keys.pair, this.limits.account_ip],
    ] as const) {
      const result = await this.limiter.hit(key, limit, SIGN_IN_WINDOW_MS)
      if (!result.allowed) {
        throw new ApiError('rate_limited', `Too many sign-in attempts; retry in ${result.retryAfterSec} s`, {
          retryAfterSec: result.retryAfterSec,
        })
      }
    }
  }

  /** Records a failed attempt; while the account is under attack, blocks this address for it. */
  async failed(email: string, ip: string | null): Promise<void> {
    const keys = keysOf(email, ip)
    const account = await this.limiter.hit(keys.accountFailures, this.limits.account, SIGN_IN_WINDOW_MS)
    if (account.allowed) return
    // The limiter only counts: spending the pair's budget is as many hits as it holds (one script
    // call with Redis, since they are sent together).
    const limit = this.limits.account_ip
    await Promise.all(Array.from({ length: limit }, () => this.limiter.hit(keys.pair, limit, SIGN_IN_WINDOW_MS)))
  }
}

function keysOf(email: string, ip: string | null) {
  const account = sha256Hex(email.trim().toLowerCase())
  const address = ip ? (clientAddressKey(ip) ?? ip) : 'unknown'
  return {
    address: `login:ip:${address}`,
    pair: `login:pair:${account}:${address}`,
    accountFailures: `login:failures:${account}`,
  }
}
