// mailauth 4 ships no type declarations; these cover the parts Rapport calls (the DNS checks of
// sending domains here, DKIM verification in the tests).
declare module 'mailauth/lib/tools.js' {
  type Resolver = (name: string, rrtype: string) => Promise<unknown[]>
  /** Fetches and parses the DKIM key record at `name`; throws with `code` (ENOTFOUND, ENODATA, EINVALIDVAL…) and `rr`. */
  export function getPublicKey(
    type: 'DKIM' | 'ARC',
    name: string,
    minBitLength?: number,
    resolver?: Resolver,
  ): Promise<{ publicKey: Buffer; rr: string; modulusLength?: number }>
  const tools: { getPublicKey: typeof getPublicKey }
  export default tools
}

declare module 'mailauth/lib/spf/index.js' {
  export interface SpfResult {
    domain: string
    'client-ip': string
    rr?: string
    status: { result: 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror'; comment?: string }
    info: string
  }
  export function spf(opts: {
    sender: string
    ip: string
    helo?: string
    mta?: string
    resolver?: (name: string, rrtype: string) => Promise<unknown[]>
  }): Promise<SpfResult>
  const module: { spf: typeof spf }
  export default module
}

declare module 'mailauth/lib/dmarc/get-dmarc-record.js' {
  export interface DmarcRecord {
    v?: string
    p?: string
    sp?: string
    rua?: string
    pct?: number
    rr: string
    isOrgRecord: boolean
    [tag: string]: unknown
  }
  const getDmarcRecord: (
    domain: string,
    resolver?: (name: string, rrtype: string) => Promise<unknown[]>,
  ) => Promise<DmarcRecord | false>
  export default getDmarcRecord
}

declare module 'mailauth/lib/dkim/verify.js' {
  export interface DkimResult {
    signingDomain?: string
    selector?: string
    status: { result: string; comment?: string }
    info: string
  }
  export function dkimVerify(
    message: string | Buffer,
    options?: { resolver?: (name: string, rrtype: string) => Promise<unknown[]>; curTime?: Date },
  ): Promise<{ results: DkimResult[] }>
  const module: { dkimVerify: typeof dkimVerify }
  export default module
}
