/**
 * A small table of our own for the user agents of opens and clicks (no parser is a dependency):
 * the operating system, the browser or mail client, the webmail whose image proxy fetched, and
 * whether the fetch was a machine's rather than a person's, with the reason.
 */
export interface ClientInfo {
  os: string | null
  browser: string | null
  webmail: string | null
}

const OS: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/Windows NT|Windows Phone/, 'Windows'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
]
const BROWSER: [RegExp, string][] = [
  [/Thunderbird\//, 'Thunderbird'],
  [/Microsoft Outlook|ms-office|MSOffice/, 'Outlook'],
  [/Edg\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\//, 'Firefox'],
  [/Chrome\//, 'Chrome'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
  [/AppleWebKit\/[\d.]+ \(KHTML, like Gecko\)(?!.*Safari)/, 'Apple Mail'],
]
const WEBMAIL: [RegExp, string][] = [
  [/GoogleImageProxy|ggpht\.com/, 'Gmail'],
  [/YahooMailProxy/, 'Yahoo Mail'],
  [/OutlookImageProxy|Office365/, 'Outlook.com'],
]
/** User agents of security gateways, link checkers and scripts: their fetches are never a person. */
const SCANNERS =
  /bot\b|crawler|spider|preview|scanner|Barracuda|Mimecast|Proofpoint|Symantec|MessageLabs|Trend ?Micro|Forcepoint|python-requests|curl\/|Wget|Go-http-client|HeadlessChrome|okhttp|node-fetch|undici/i
/** Apple Mail Privacy Protection fetches every image through Apple's proxy with this bare user agent. */
const APPLE_MPP = /^Mozilla\/5\.0$/

/** How soon after delivery an image proxy's fetch is taken for a prefetch, and a click for a link scanner. */
export const PREFETCH_WINDOW_MS = 10_000

export function parseUserAgent(ua: string | undefined): ClientInfo {
  const s = ua ?? ''
  const find = (table: [RegExp, string][]) => table.find(([re]) => re.test(s))?.[1] ?? null
  return { os: find(OS), browser: find(BROWSER), webmail: find(WEBMAIL) }
}

/**
 * Why an open or click looks like a machine's, or null for a person. `sinceSentMs`: time since the
 * message was handed over (null when unknown).
 */
export function machineReason(
  kind: 'open' | 'click',
  ua: string | undefined,
  sinceSentMs: number | null,
  isHead: boolean,
): string | null {
  const s = (ua ?? '').trim()
  if (!s) return 'no_user_agent'
  if (isHead) return 'head_request'
  if (SCANNERS.test(s)) return kind === 'click' ? 'link_scanner' : 'scanner'
  if (kind === 'open' && APPLE_MPP.test(s)) return 'apple_mail_privacy_protection'
  const isQuick = sinceSentMs !== null && sinceSentMs >= 0 && sinceSentMs < PREFETCH_WINDOW_MS
  if (kind === 'open' && isQuick && parseUserAgent(s).webmail) return 'image_proxy_prefetch'
  if (kind === 'click' && isQuick) return 'link_scanner'
  return null
}
