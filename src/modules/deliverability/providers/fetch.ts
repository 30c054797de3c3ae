/**
 * How the provider hooks reach out: Amazon SNS's signing certificates and subscription
 * confirmation links, and nothing else. Injected (ModuleDeps.providerFetch) so that tests serve a
 * certificate of their own without a network; the callers check the URL's host before calling.
 */
export type ProviderFetch = (url: string) => Promise<{ status: number; body: string }>

/** A signing certificate is a few kilobytes; a confirmation answer a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024
const TIMEOUT_MS = 10_000

/** GET over HTTPS with a timeout, no redirects and a size cap. */
export const httpsFetch: ProviderFetch = async (url) => {
  if (!url.startsWith('https://')) throw new Error('only https URLs are fetched')
  const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) })
  const reader = res.body?.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  while (reader) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_BODY_BYTES) {
      await reader.cancel()
      throw new Error(`the answer of ${new URL(url).host} is over ${MAX_BODY_BYTES} bytes`)
    }
    chunks.push(value)
  }
  return { status: res.status, body: Buffer.concat(chunks).toString('utf8') }
}
