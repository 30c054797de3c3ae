/**
 * Every event Rapport emits. Names are dotted and stable: integrators subscribe to them.
 * Payload schemas and aliases join this catalog with the webhooks work.
 */
export const EVENT_TYPES = {
  'contact.created': 'A contact was created (API, form, import, booking or lead capture)',
  'contact.updated': 'Fields of a contact changed; `changes` holds each changed field with its new value',
  'contact.deleted': 'A contact was deleted',
} as const

export type EventType = keyof typeof EVENT_TYPES
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[]
