import argon2 from 'argon2'

/**
 * argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 20 ms here, slow
 * enough to make a stolen table expensive to crack, fast enough not to make sign-in a DoS vector.
 * The parameters travel in each hash, so raising them later keeps old hashes verifiable.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 200

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS)
}

let dummy: Promise<string> | undefined

/**
 * Checks a password against a stored hash. Without a hash (no such account) it verifies against a
 * dummy one anyway, so that "unknown email" and "wrong password" take the same time.
 */
export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (!hash) {
    dummy ??= hashPassword('not-a-password-of-anyone')
    await argon2.verify(await dummy, password).catch(() => false)
    return false
  }
  return argon2.verify(hash, password).catch(() => false)
}
