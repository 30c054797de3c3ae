/** Tables of work orders and invoices (migration 0005). */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the billing module's tables
export interface BillingTables {}
