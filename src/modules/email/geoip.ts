import { type CityResponse, open, type Reader } from 'maxmind'
import { ConfigError } from '../../config.js'

/** Where an open or click came from; both null when unknown or when no GeoIP database is configured. */
export interface GeoLocation {
  /** ISO 3166-1 alpha-2 country code, e.g. `DE`. */
  country: string | null
  /**
   * The first-level subdivision as an ISO 3166-2 code, country included (`US-CA`, `GB-ENG`), so it
   * is unambiguous on its own; its English name when the database has no code for it.
   */
  region: string | null
}

export const UNKNOWN_LOCATION: GeoLocation = Object.freeze({ country: null, region: null })

/** Looks up client addresses in a MaxMind database (GeoLite2 / GeoIP2 City or Country). */
export interface GeoIp {
  locate(ip: string): GeoLocation
}

/**
 * Opens RAPPORT_GEOIP_DB once, at start (the whole file is read into memory; lookups are then
 * synchronous and cached). It is not reloaded: replacing the file takes a restart. A missing file,
 * one that is not an .mmdb, or a database without countries (ASN, ISP…) is a ConfigError.
 */
export async function openGeoIp(file: string): Promise<GeoIp> {
  let reader: Reader<CityResponse>
  try {
    reader = await open<CityResponse>(file, { cache: { max: 10_000 } })
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'ENOENT') throw new ConfigError(`RAPPORT_GEOIP_DB: no file at ${file}`)
    if (e.code === 'EISDIR') throw new ConfigError(`RAPPORT_GEOIP_DB: ${file} is a directory, not an .mmdb file`)
    throw new ConfigError(
      `RAPPORT_GEOIP_DB: ${file} is not a MaxMind database (.mmdb, e.g. GeoLite2-City.mmdb): ${e.message}`,
    )
  }
  const type = reader.metadata.databaseType
  if (!/city|country/i.test(type)) {
    throw new ConfigError(
      `RAPPORT_GEOIP_DB: ${file} is a ${type} database; country and region need a City or Country database (GeoLite2-City, GeoIP2-Country…)`,
    )
  }
  return {
    locate(ip: string): GeoLocation {
      let found: CityResponse | null
      try {
        found = reader.get(plainAddress(ip))
      } catch {
        return UNKNOWN_LOCATION
      }
      return found ? toLocation(found) : UNKNOWN_LOCATION
    },
  }
}

/** `::ffff:1.2.3.4` is looked up as `1.2.3.4`; a zone index (`fe80::1%eth0`) is dropped. */
function plainAddress(ip: string): string {
  const address = ip.replace(/%.*$/, '')
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address
}

function toLocation(found: CityResponse): GeoLocation {
  const country = found.country?.iso_code ?? null
  const subdivision = found.subdivisions?.[0]
  const region = subdivision
    ? subdivision.iso_code
      ? country
        ? `${country}-${subdivision.iso_code}`
        : subdivision.iso_code
      : (subdivision.names?.en ?? null)
    : null
  return { country, region }
}
