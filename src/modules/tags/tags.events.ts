import { defineEvent, updatedEventData } from '../../outbox/define.js'
import { Tag } from './tags.schemas.js'

export const tagCreated = defineEvent({
  name: 'tag.created',
  description:
    'A tag was created: explicitly (POST /api/v1/tags) or by its first use on a contact (create, update, import); `contact_count` is 0 at that moment',
  data: Tag,
})

export const tagUpdated = defineEvent({
  name: 'tag.updated',
  description:
    'A tag was renamed, on itself and on every contact carrying it (no `contact.updated` per contact); `changes.name` is the new name',
  data: updatedEventData('tag_01jd3k8m2x7q9v4b6n5t0w1y2z'),
})

export const tagDeleted = defineEvent({
  name: 'tag.deleted',
  description:
    'A tag was deleted and removed from every contact carrying it (no `contact.updated` per contact); `data` is the tag as it was',
  data: Tag,
})

export const TAG_EVENTS = [tagCreated, tagUpdated, tagDeleted] as const
