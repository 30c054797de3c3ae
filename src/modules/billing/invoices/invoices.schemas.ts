import Type, { type Static, type TSchema } from 'typebox'
import { ListOf, PageQuery } from '../../../core/pagination.js'
import { MAX_AMOUNT } from './money.js'

export const INVOICE_STATUSES = ['draft', 'sent', 'paid', 'void'] as const
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number]
export const MAX_LINE_ITEMS = 100
export const MAX_QUANTITY = 1_000_000_000

const EXAMPLE_ID = 'inv_01jd3k8m2x7q9v4b6n5t0w1y2z'
const CONTACT_EXAMPLE = 'c_01jd3k8m2x7q9v4b6n5t0w1y2z'
const WORK_ORDER_EXAMPLE = 'wo_01jd3k8m2x7q9v4b6n5t0w1y2z'

const nullable = <T extends TSchema>(s: T, description: string) => Type.Union([s, Type.Null()], { description })
const instant = (description: string, example: string) =>
  Type.String({ format: 'date-time', description, examples: [example] })

const Status = Type.Enum(INVOICE_STATUSES, {
  description:
    '`draft` (editable) → `sent` → `paid`; `draft` or `sent` → `void`. Only drafts can be changed or deleted',
  examples: ['draft'],
})
const Amount = (description: string, example: number) =>
  Type.Integer({ minimum: 0, maximum: MAX_AMOUNT, description, examples: [example] })
const Currency = Type.String({
  pattern: '^[A-Z]{3}$',
  description: 'ISO 4217 currency code, upper-case; amounts are in its minor unit (cents for USD)',
  examples: ['USD'],
})
const ContactId = Type.String({
  maxLength: 64,
  description: 'The customer billed: a contact of the same organization and mode',
  examples: [CONTACT_EXAMPLE],
})
const WorkOrderId = Type.String({
  maxLength: 64,
  description: 'The work order billed: one of the same organization and mode',
  examples: [WORK_ORDER_EXAMPLE],
})
const DueDate = Type.String({
  format: 'date',
  description: 'Day payment is due (YYYY-MM-DD)',
  examples: ['2025-02-28'],
})

const lineFields = {
  description: Type.String({
    minLength: 1,
    maxLength: 500,
    pattern: '\\S',
    description: 'What is billed',
    examples: ['Boiler valve, 22 mm'],
  }),
  quantity: Type.Integer({
    minimum: 1,
    maximum: MAX_QUANTITY,
    description: 'How many units: a positive integer',
    examples: [2],
  }),
  unit_amount: Amount('Price of one unit in minor units (cents): a non-negative integer', 4500),
}

export const LineItemInput = Type.Object(lineFields, {
  additionalProperties: false,
  description: 'One line of an invoice',
  examples: [{ description: 'Boiler valve, 22 mm', quantity: 2, unit_amount: 4500 }],
})

export const LineItem = Type.Object(
  { ...lineFields, amount: Amount('quantity × unit_amount, in minor units, computed by the server', 9000) },
  { description: 'One line of an invoice, priced' },
)

const LineItemsInput = Type.Array(LineItemInput, {
  maxItems: MAX_LINE_ITEMS,
  description: `The lines, in order (at most ${MAX_LINE_ITEMS}); on PATCH the list replaces the current one`,
})

export const Invoice = Type.Object(
  {
    id: Type.String({ description: 'Invoice id', examples: [EXAMPLE_ID] }),
    object: Type.Literal('invoice', { description: 'Always `invoice`' }),
    number: Type.String({
      description:
        'Sequential per organization and mode, assigned at creation and never reused: `INV-` and at least six digits',
      examples: ['INV-000042'],
    }),
    status: Status,
    contact_id: nullable(ContactId, 'The customer billed; null if none or if the contact was deleted'),
    customer_name: nullable(
      Type.String({ examples: ['Jane Doe'] }),
      'The customer’s name (or company, or email) when the contact was linked; kept after the contact is deleted',
    ),
    work_order_id: nullable(WorkOrderId, 'The work order billed; null if none or if it was deleted'),
    currency: Currency,
    line_items: Type.Array(LineItem, { description: 'The lines, in order' }),
    subtotal: Amount('Sum of the line amounts, in minor units', 9000),
    total: Amount('Amount due, in minor units (equal to `subtotal`: no taxes or discounts yet)', 9000),
    due_date: nullable(DueDate, 'Day payment is due; null if not set'),
    sent_at: nullable(instant('When it was sent', '2025-01-16T08:00:00.000Z'), 'When it was sent; null before'),
    paid_at: nullable(instant('When it was paid', '2025-01-20T12:00:00.000Z'), 'When it was marked paid; null before'),
    voided_at: nullable(
      instant('When it was voided', '2025-01-17T08:00:00.000Z'),
      'When it was voided; null unless void',
    ),
    created_at: instant('When the invoice was created', '2025-01-15T09:30:00.000Z'),
    updated_at: instant('When the invoice last changed', '2025-01-15T09:30:00.000Z'),
  },
  {
    description:
      'A bill to a customer. Amounts are integers in the currency’s minor unit (cents), computed by the server',
    examples: [
      {
        id: EXAMPLE_ID,
        object: 'invoice',
        number: 'INV-000042',
        status: 'draft',
        contact_id: CONTACT_EXAMPLE,
        customer_name: 'Jane Doe',
        work_order_id: WORK_ORDER_EXAMPLE,
        currency: 'USD',
        line_items: [{ description: 'Boiler valve, 22 mm', quantity: 2, unit_amount: 4500, amount: 9000 }],
        subtotal: 9000,
        total: 9000,
        due_date: '2025-02-28',
        sent_at: null,
        paid_at: null,
        voided_at: null,
        created_at: '2025-01-15T09:30:00.000Z',
        updated_at: '2025-01-15T09:30:00.000Z',
      },
    ],
  },
)
export type Invoice = Static<typeof Invoice>

export const InvoiceCreate = Type.Object(
  {
    contact_id: Type.Optional(ContactId),
    work_order_id: Type.Optional(WorkOrderId),
    currency: Type.Optional(
      Type.String({
        pattern: '^[A-Z]{3}$',
        description: 'ISO 4217 currency code, upper-case; default: the organization’s currency',
        examples: ['EUR'],
      }),
    ),
    line_items: Type.Optional(LineItemsInput),
    due_date: Type.Optional(DueDate),
  },
  {
    additionalProperties: false,
    description: 'A new draft invoice; it gets the next number of the organization and mode',
    examples: [
      {
        contact_id: CONTACT_EXAMPLE,
        currency: 'USD',
        line_items: [{ description: 'Boiler valve, 22 mm', quantity: 2, unit_amount: 4500 }],
        due_date: '2025-02-28',
      },
    ],
  },
)
export type InvoiceCreate = Static<typeof InvoiceCreate>

export const InvoiceUpdate = Type.Object(
  {
    contact_id: Type.Optional(nullable(ContactId, 'The customer billed; null unlinks it')),
    work_order_id: Type.Optional(nullable(WorkOrderId, 'The work order billed; null unlinks it')),
    currency: Type.Optional(Currency),
    line_items: Type.Optional(LineItemsInput),
    due_date: Type.Optional(nullable(DueDate, 'Day payment is due; null clears it')),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Fields of a draft to change; `line_items` replaces the whole list and the totals are recomputed',
    examples: [{ line_items: [{ description: 'Call-out fee', quantity: 1, unit_amount: 6000 }] }],
  },
)
export type InvoiceUpdate = Static<typeof InvoiceUpdate>

export const INVOICE_SORTS = [
  'created_at',
  '-created_at',
  'updated_at',
  '-updated_at',
  'due_date',
  '-due_date',
] as const

export const InvoiceListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Status),
    contact_id: Type.Optional(
      Type.String({ maxLength: 64, description: 'Invoices of this contact', examples: [CONTACT_EXAMPLE] }),
    ),
    work_order_id: Type.Optional(
      Type.String({ maxLength: 64, description: 'Invoices of this work order', examples: [WORK_ORDER_EXAMPLE] }),
    ),
    due_after: Type.Optional(
      Type.String({ format: 'date', description: 'Due on or after this day', examples: ['2025-02-01'] }),
    ),
    due_before: Type.Optional(
      Type.String({ format: 'date', description: 'Due before this day (exclusive)', examples: ['2025-03-01'] }),
    ),
    sort: Type.Optional(
      Type.Enum([...INVOICE_SORTS], {
        default: '-created_at',
        description: 'Sort field; a leading `-` sorts descending. Invoices without a due date sort last',
        examples: ['due_date'],
      }),
    ),
  },
  { additionalProperties: false },
)
export type InvoiceListQuery = Static<typeof InvoiceListQuery>

export const InvoiceList = ListOf(Invoice)
export const InvoiceIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'Invoice id', examples: [EXAMPLE_ID] }),
})
