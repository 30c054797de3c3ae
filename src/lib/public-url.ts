/**
 * Where people reach this installation, for the links Rapport hands out (invites, sign-in and reset
 * links, emails). Never built from a request's Host header: a client chooses that header, and a
 * link built from it could send a token to the client's own site. The configured RAPPORT_PUBLIC_URL
 * wins; without it, the address the server listens on (known once it listens), or the configured
 * HOST and PORT before that (a CLI command run without a server).
 */
export class PublicUrl {
  private listenAddress: string | undefined

  constructor(
    private readonly configured: string | undefined,
    private readonly fallback: { host: string; port: number },
  ) {}

  /** Called by the server once it listens: the fallback becomes the real address (port 0 resolved). */
  setListenAddress(url: string): void {
    this.listenAddress = url.replace(/\/+$/, '')
  }

  /** The base URL, without a trailing slash. */
  get base(): string {
    if (this.configured) return this.configured
    if (this.listenAddress) return this.listenAddress
    return `http://${reachableHost(this.fallback.host)}:${this.fallback.port}`
  }

  /**
   * A link to `path` (starting with /). A token travels in the fragment: browsers never send it to
   * a server, so it stays out of access logs and Referer headers.
   */
  link(path: string, token?: string): string {
    return `${this.base}${path}${token === undefined ? '' : `#token=${encodeURIComponent(token)}`}`
  }
}

/** A server listening on every interface is reached on loopback from this machine. */
export function reachableHost(address: string): string {
  if (address === '0.0.0.0' || address === '') return '127.0.0.1'
  if (address === '::') return '[::1]'
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address
}
