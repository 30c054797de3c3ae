import { invalidField } from '../../core/errors.js'
import type { TenantScope } from '../../core/tenancy.js'
import type { FormsService } from '../leads/forms/forms.service.js'
import type { SarbacaneForm, SarbacaneFormListQuery } from './sarbacane.schemas.js'

/** The forms of the /v1 routes: the same forms as /api/v1/forms, in the `{id, name}` shape. */
export class SarbacaneFormsService {
  constructor(private readonly forms: FormsService) {}

  /** One slice from `offset`, newest first, as a bare array. */
  async list(scope: TenantScope, query: SarbacaneFormListQuery): Promise<SarbacaneForm[]> {
    const page = await this.forms.list(scope, { offset: query.offset ?? 0, limit: query.limit ?? 1000 })
    return page.data.map(({ id, name }) => ({ id, name }))
  }

  async get(scope: TenantScope, id: string): Promise<SarbacaneForm> {
    const { name } = await this.forms.get(scope, id)
    return { id, name }
  }

  /** Renames the form. The document sends the name as a one-element array; a bare string works too. */
  async rename(scope: TenantScope, id: string, name: string | string[]): Promise<SarbacaneForm> {
    if (Array.isArray(name) && name.length !== 1) {
      throw invalidField(
        'name',
        `Give exactly one name (got ${name.length}): {"name": "New name"} or {"name": ["New name"]}`,
      )
    }
    const form = await this.forms.rename(scope, id, Array.isArray(name) ? name[0]! : name)
    return { id: form.id, name: form.name }
  }
}
