import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/**
 * Encrypts small secrets at rest with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, base64url parts.
 * A stolen database alone yields no usable webhook secret.
 */
export interface SecretBox {
  seal(plaintext: string): string
  open(sealed: string): string
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('the master key must be 32 bytes')
  return {
    seal(plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.')
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.')
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed secret')
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
    },
  }
}

/**
 * The master key: RAPPORT_MASTER_KEY (base64 of 32 bytes) when given; otherwise a key generated once
 * into `<dataDir>/master.key`, readable by its owner only.
 */
export function loadMasterKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) {
    const key = Buffer.from(configured, 'base64')
    if (key.length !== 32) throw new Error('RAPPORT_MASTER_KEY must be the base64 of exactly 32 bytes')
    return key
  }
  const file = path.join(dataDir, 'master.key')
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true })
    // Written whole under a temporary name, then linked into place: a concurrent reader never sees
    // a half-written key, and if another process linked its key first, we use theirs.
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
    writeFileSync(temporary, randomBytes(32).toString('base64'), { mode: 0o600 })
    try {
      linkSync(temporary, file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    } finally {
      unlinkSync(temporary)
    }
  }
  chmodSync(file, 0o600)
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
}
