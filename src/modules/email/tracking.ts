import type { PublicUrl } from '../../lib/public-url.js'
import type { LinkSigner } from './link-signer.js'

/** The open pixel's URL of one message. */
export function openUrl(links: LinkSigner, publicUrl: PublicUrl, emailId: string): string {
  return publicUrl.link(`/email/o/${encodeURIComponent(links.sign('open', emailId))}`)
}

/** The click redirect of one link of one message: the destination is inside the MAC, so it cannot be changed. */
export function clickUrl(links: LinkSigner, publicUrl: PublicUrl, emailId: string, url: string): string {
  return publicUrl.link(
    `/email/c/${encodeURIComponent(links.sign('click', emailId, url))}?u=${encodeURIComponent(url)}`,
  )
}

const HREF = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(https?:\/\/[^"']+)\2/gi
const AMP = /&amp;/g

/**
 * Sends the HTML's http(s) links through signed click redirects (our own unsubscribe and
 * preferences links excepted) and adds a 1×1 open pixel. `href` values are read as HTML (`&amp;`
 * is `&`), so the redirect reaches exactly the link the author wrote.
 */
export function addTracking(
  html: string,
  opts: { links: LinkSigner; publicUrl: PublicUrl; emailId: string; opens: boolean; clicks: boolean },
): string {
  let out = html
  if (opts.clicks) {
    const own = `${opts.publicUrl.base}/email/`
    out = out.replace(HREF, (whole, start: string, quote: string, href: string) => {
      const url = href.replace(AMP, '&')
      if (url.startsWith(own)) return whole
      const tracked = clickUrl(opts.links, opts.publicUrl, opts.emailId, url).replace(/&/g, '&amp;')
      return `${start}${quote}${tracked}${quote}`
    })
  }
  if (opts.opens) {
    const pixel = `<img src="${openUrl(opts.links, opts.publicUrl, opts.emailId)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">`
    out = /<\/body>/i.test(out) ? out.replace(/<\/body>/i, `${pixel}</body>`) : `${out}${pixel}`
  }
  return out
}
