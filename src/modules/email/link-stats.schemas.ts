import Type, { type Static } from 'typebox'
import { ListOf, PageQuery } from '../../core/pagination.js'
import { DateTime, nullable } from './email.schema-parts.js'

const count = (description: string, example: number) => Type.Integer({ minimum: 0, description, examples: [example] })

export const LinkStat = Type.Object(
  {
    url: Type.String({ description: 'The link as its author wrote it', examples: ['https://acme.example/news'] }),
    clicks: count('Clicks, link scanners included', 240),
    human_clicks: count('Clicks not labelled as a machine’s', 200),
    unique_clicks: count('Messages whose link was clicked at least once', 150),
    unique_human_clicks: count('Messages with at least one human click on it', 131),
    first_clicked_at: Type.String({ format: 'date-time', description: 'The first click' }),
    last_clicked_at: Type.String({ format: 'date-time', description: 'The latest click' }),
  },
  { description: 'Clicks on one link of a message or a campaign' },
)
export type LinkStat = Static<typeof LinkStat>

export const LinkStatList = Type.Object(
  {
    object: Type.Literal('list', { description: 'Always `list`' }),
    data: Type.Array(LinkStat, { description: 'Every clicked link, most clicked by people first (at most 500)' }),
  },
  {
    examples: [
      {
        object: 'list',
        data: [
          {
            url: 'https://acme.example/news',
            clicks: 240,
            human_clicks: 200,
            unique_clicks: 150,
            unique_human_clicks: 131,
            first_clicked_at: '2026-03-02T09:14:03.000Z',
            last_clicked_at: '2026-03-04T17:40:11.000Z',
          },
        ],
      },
    ],
  },
)

const Country = nullable(
  Type.String({ minLength: 2, maxLength: 2, description: 'ISO 3166-1 alpha-2 country code', examples: ['DE'] }),
  'ISO 3166-1 alpha-2 country code of the client address; null without a GeoIP database (RAPPORT_GEOIP_DB) or when the address is not in it',
)
const Region = nullable(
  Type.String({
    maxLength: 200,
    description: 'First-level subdivision: ISO 3166-2 code with its country (`DE-BY`), or its name when it has no code',
    examples: ['DE-BY'],
  }),
  'First-level subdivision as an ISO 3166-2 code with its country (`US-CA`, `DE-BY`), or its English name when the database has no code; null when unknown',
)

const TRACKING_EVENT_EXAMPLE = {
  id: 'etr_01jd3k8m2x7q9v4b6n5t0w1y2z',
  object: 'email_tracking_event',
  type: 'click',
  url: 'https://acme.example/news',
  user_agent:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  os: 'Windows',
  browser: 'Chrome',
  webmail: null,
  country: 'DE',
  region: 'DE-BY',
  machine: false,
  machine_reason: null,
  created_at: '2026-03-02T09:14:03.000Z',
}

export const TrackingEvent = Type.Object(
  {
    id: Type.String({ description: 'Tracking event id', examples: [TRACKING_EVENT_EXAMPLE.id] }),
    object: Type.Literal('email_tracking_event', { description: 'Always `email_tracking_event`' }),
    type: Type.Enum(['open', 'click'], {
      description: '`open`: the pixel was fetched; `click`: a link was followed',
      examples: ['click'],
    }),
    url: nullable(
      Type.String({ description: 'The link followed', examples: ['https://acme.example/news'] }),
      'The link followed (clicks); null for opens',
    ),
    user_agent: nullable(
      Type.String({ description: 'User-Agent header (first 1,000 characters)' }),
      'The User-Agent header, if any',
    ),
    os: nullable(
      Type.String({ description: 'Operating system', examples: ['Windows'] }),
      'Operating system read from the user agent',
    ),
    browser: nullable(
      Type.String({ description: 'Browser or mail client', examples: ['Chrome'] }),
      'Browser or mail client read from the user agent',
    ),
    webmail: nullable(
      Type.String({ description: 'Webmail image proxy', examples: ['Gmail'] }),
      'The webmail whose image proxy fetched, if any',
    ),
    country: Country,
    region: Region,
    machine: Type.Boolean({
      description: 'Whether it looks like a machine’s fetch rather than a person’s',
      examples: [false],
    }),
    machine_reason: nullable(
      Type.String({ description: 'Why it was labelled a machine’s', examples: ['apple_mail_privacy_protection'] }),
      '`apple_mail_privacy_protection`, `image_proxy_prefetch`, `link_scanner`, `scanner`, `head_request`, `no_user_agent`; null for a person',
    ),
    created_at: DateTime('When it happened'),
  },
  { description: 'One open or click of a message', examples: [TRACKING_EVENT_EXAMPLE] },
)
export type TrackingEvent = Static<typeof TrackingEvent>

export const TrackingEventList = ListOf(TrackingEvent)
export const TrackingEventQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })

export const CountryStat = Type.Object(
  {
    country: Country,
    opens: count('Opens, machine fetches included', 420),
    human_opens: count('Opens not labelled as a machine’s', 310),
    unique_opens: count('Messages opened at least once', 280),
    clicks: count('Clicks, link scanners included', 90),
    human_clicks: count('Clicks not labelled as a machine’s', 75),
    unique_clicks: count('Messages with at least one click', 60),
  },
  { description: 'Opens and clicks of a campaign from one country' },
)

export const CountryStatList = Type.Object(
  {
    object: Type.Literal('list', { description: 'Always `list`' }),
    data: Type.Array(CountryStat, {
      description: 'One row per country (null: unknown), most human opens first (at most 300)',
    }),
  },
  {
    examples: [
      {
        object: 'list',
        data: [
          {
            country: 'DE',
            opens: 420,
            human_opens: 310,
            unique_opens: 280,
            clicks: 90,
            human_clicks: 75,
            unique_clicks: 60,
          },
          { country: null, opens: 35, human_opens: 12, unique_opens: 30, clicks: 4, human_clicks: 1, unique_clicks: 4 },
        ],
      },
    ],
  },
)
