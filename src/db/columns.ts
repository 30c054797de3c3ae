import type { ColumnType } from 'kysely'

/** Column types the table definitions share (db/schema.ts and its schema-*.ts parts import them from here). */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
export type Json<T = unknown> = ColumnType<T, string, string>
/** A `date` column: 'YYYY-MM-DD' strings both ways (see the type parsers in database.ts). */
export type CalendarDate = string
