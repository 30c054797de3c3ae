import Type from 'typebox'
import { defineEvent, eventId, nullable, updatedEventData } from '../../outbox/define.js'
import { Note } from './notes.schemas.js'

export const noteCreated = defineEvent({
  name: 'note.created',
  description: 'A note was added to a contact',
  data: Type.Object({
    id: eventId('n_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    contact_id: eventId('c_01jd3k8m2x7q9v4b6n5t0w1y2z', 'The contact'),
    deal_id: nullable(Type.String({ description: 'Linked deal' })),
    body: Type.String({ description: 'The note' }),
  }),
})

export const noteUpdated = defineEvent({
  name: 'note.updated',
  description: 'A note was edited or moved; `changes` holds each changed field with its new value',
  data: updatedEventData('n_01jd3k8m2x7q9v4b6n5t0w1y2z'),
})

export const noteDeleted = defineEvent({
  name: 'note.deleted',
  description: 'A note was deleted; `data` is the note as it was',
  data: Note,
})

export const NOTE_EVENTS = [noteCreated, noteUpdated, noteDeleted] as const
