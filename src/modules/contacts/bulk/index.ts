import type { FastifyPluginAsync } from 'fastify'
import type { ModuleDeps as Deps } from '../../module-deps.js'
import { ContactsService } from '../contacts.service.js'
import { ContactsBatchService } from './batch.service.js'
import { contactsBulkRoutes } from './bulk.routes.js'
import { contactsImportRoutes } from './import.routes.js'
import { ContactsImportService } from './import.service.js'

/** The routes of CSV import, batch upsert and search of contacts. */
export function contactsBulkModule(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    const contacts = new ContactsService(deps.db)
    await app.register(contactsBulkRoutes(contacts, new ContactsBatchService(deps.db, contacts)))
    await app.register(contactsImportRoutes(new ContactsImportService(deps.db)))
  }
}
