import Type from 'typebox'
import { defineEvent, eventId, nullable, updatedEventData } from '../../outbox/define.js'
import { Activity } from './activities.schemas.js'

export const activityCreated = defineEvent({
  name: 'activity.created',
  description: 'An activity was added to the timeline',
  data: Type.Object({
    id: eventId('a_01jd3k8m2x7q9v4b6n5t0w1y2z'),
    type: Type.String({ description: 'call, email, meeting, sms, note or other' }),
    contact_id: nullable(eventId('c_01jd3k8m2x7q9v4b6n5t0w1y2z', 'Linked contact')),
    summary: Type.String({ description: 'One-line summary' }),
  }),
})

export const activityUpdated = defineEvent({
  name: 'activity.updated',
  description: 'Fields of an activity changed (a correction); `changes` holds each changed field with its new value',
  data: updatedEventData('a_01jd3k8m2x7q9v4b6n5t0w1y2z'),
})

export const activityDeleted = defineEvent({
  name: 'activity.deleted',
  description: 'An activity was deleted; `data` is the activity as it was',
  data: Activity,
})

export const ACTIVITY_EVENTS = [activityCreated, activityUpdated, activityDeleted] as const
