import type { FastifyPluginAsync } from 'fastify'
import type { ModuleDeps as Deps } from '../module-deps.js'
import { invoicesRoutes } from './invoices/invoices.routes.js'
import { InvoicesService } from './invoices/invoices.service.js'
import { workOrdersRoutes } from './work-orders/work-orders.routes.js'
import { WorkOrdersService } from './work-orders/work-orders.service.js'

/** The routes of work orders and invoices. */
export function billingModule(deps: Deps): FastifyPluginAsync {
  return async (app) => {
    await app.register(workOrdersRoutes(new WorkOrdersService(deps.db)))
    await app.register(invoicesRoutes(new InvoicesService(deps.db)))
  }
}
