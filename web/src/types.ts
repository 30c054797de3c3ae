/**
 * The API objects the dashboard shows, taken from the types generated from docs/openapi.json
 * (`npm run web:types` writes api-types.ts): a field renamed in the API fails the dashboard's type
 * check instead of a page at run time.
 */
import type { operations } from './api-types.js'

type Content<R> = R extends { content: { 'application/json': infer T } } ? T : never
/** The JSON body of an operation's success answer (200, else 201, else 202). */
export type Ok<Op extends keyof operations> = operations[Op]['responses'] extends infer R
  ? R extends { 200: infer A }
    ? Content<A>
    : R extends { 201: infer A }
      ? Content<A>
      : R extends { 202: infer A }
        ? Content<A>
        : never
  : never
/** The JSON body an operation takes. */
export type Body<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { 'application/json': infer T } }
}
  ? T
  : never
/** One item of a list operation's `data`. */
export type Item<Op extends keyof operations> = Ok<Op> extends { data: (infer T)[] } ? T : never

export type SessionView = Ok<'getSession'>
export type Role = SessionView['user']['role']
export type ApiKey = Ok<'createApiKey'>
export type Scope = ApiKey['scopes'][number]
export type WebhookEndpoint = Ok<'createWebhookEndpoint'>
export type EndpointStats = Ok<'getWebhookEndpointStats'>
export type EndpointSecret = Ok<'getWebhookEndpointSecret'>
export type Delivery = Item<'listWebhookDeliveries'>
export type DeliveryStatus = Delivery['status']
export type Attempt = Ok<'getWebhookDelivery'> extends { attempts: (infer A)[] } ? A : never
export type User = Item<'listUsers'>
export type Invite = Ok<'createInvite'>
export type InvitePreview = Ok<'previewInvite'>
export type SignInLinkPreview = Ok<'previewSignInLink'>
export type Form = Item<'listForms'>
export type BookingEventType = Item<'listBookingEventTypes'>
export type AuditEntry = Item<'listAuditLog'>
export type Usage = Ok<'getUsage'>

export type Contact = Ok<'getContact'>
export type Deal = Ok<'getDeal'>
export type Task = Ok<'getTask'>
export type Note = Ok<'getNote'>
export type Pipeline = Ok<'getPipeline'>
export type Booking = Item<'listBookings'>
export type TimelineItem = Item<'getContactTimeline'>
export type Notification = Item<'listNotifications'>
export type FormResponse = Item<'listFormResponses'>

/** The event catalog's entries (GET /api/v1/event-types is not in the OpenAPI document's JSON types). */
export interface EventType {
  name: string
  description: string
  schema: JsonSchema
  aliases: string[]
}

/** A JSON Schema as the event catalog publishes it. */
export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  anyOf?: JsonSchema[]
  enum?: unknown[]
  const?: unknown
  format?: string
  examples?: unknown[]
  [keyword: string]: unknown
}
