import type { FastifyPluginAsync } from 'fastify'
import { activitiesRoutes } from '../activities/activities.routes.js'
import { ActivitiesService } from '../activities/activities.service.js'
import type { ModuleDeps as Deps } from '../module-deps.js'
import { notesRoutes } from '../notes/notes.routes.js'
import { NotesService } from '../notes/notes.service.js'
import { tagsRoutes } from '../tags/tags.routes.js'
import { TagsService } from '../tags/tags.service.js'
import { tasksRoutes } from '../tasks/tasks.routes.js'
import { TasksService } from '../tasks/tasks.service.js'
import { timelineRoutes } from './timeline.routes.js'
import { TimelineService } from './timeline.service.js'

/** The routes of tasks, activities, notes, tags and the contact timeline. */
export function timelineModule(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    await app.register(tasksRoutes(new TasksService(deps.db)))
    await app.register(activitiesRoutes(new ActivitiesService(deps.db)))
    await app.register(notesRoutes(new NotesService(deps.db)))
    await app.register(tagsRoutes(new TagsService(deps.db)))
    await app.register(timelineRoutes(new TimelineService(deps.db)))
  }
}
