import { writeFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { sql } from 'kysely'
import { openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrator.js'
import type { Db } from '../src/db/schema.js'

export const SCHEMA_PATH = fileURLToPath(new URL('../docs/schema.sql', import.meta.url))
const GENERATED_NOTE = '-- Generated from src/db/migrations by npm run schema; do not edit by hand.'

/**
 * The schema the migrations build, as readable SQL: extensions, then each table with its columns,
 * constraints, indexes and triggers, in name order. Written from the catalog (PGlite has no pg_dump), so it
 * shows what a reviewer needs to see change, not a restorable dump.
 */
export async function describeSchema(db: Db): Promise<string> {
  const extensions = await sql<{ name: string }>`
    select extname as name from pg_extension where extname <> 'plpgsql' order by 1`.execute(db)
  const columns = await sql<{ table: string; column: string; type: string; nullable: string; fallback: string | null }>`
    select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type,
           case when a.attnotnull then ' not null' else '' end as nullable,
           pg_get_expr(d.adbin, d.adrelid) as fallback
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid and c.relkind in ('r', 'p')
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attnum > 0 and not a.attisdropped
    order by c.relname, a.attnum`.execute(db)
  const constraints = await sql<{ table: string; name: string; definition: string }>`
    select c.relname as table, k.conname as name, pg_get_constraintdef(k.oid) as definition
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
    where k.contype <> 'n' -- PostgreSQL 17 lists not-null as constraints; the column says it already
    order by c.relname, k.conname`.execute(db)
  const indexes = await sql<{ table: string; definition: string }>`
    select tablename as table, indexdef as definition from pg_indexes
    where schemaname = current_schema() order by tablename, indexname`.execute(db)
  const triggers = await sql<{ table: string; definition: string }>`
    select c.relname as table, pg_get_triggerdef(t.oid) as definition
    from pg_trigger t
    join pg_class c on c.oid = t.tgrelid
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
    where not t.tgisinternal
    order by c.relname, t.tgname`.execute(db)

  const tables = [...new Set(columns.rows.map((r) => r.table))]
  const out = [GENERATED_NOTE, '']
  for (const e of extensions.rows) out.push(`create extension ${e.name};`)
  for (const table of tables) {
    const lines = columns.rows
      .filter((c) => c.table === table)
      .map((c) => `  ${c.column} ${c.type}${c.nullable}${c.fallback ? ` default ${c.fallback}` : ''}`)
    for (const k of constraints.rows.filter((k) => k.table === table))
      lines.push(`  constraint ${k.name} ${k.definition}`)
    out.push('', `create table ${table} (`, lines.join(',\n'), ');')
    for (const d of [...indexes.rows, ...triggers.rows].filter((d) => d.table === table)) {
      out.push(`${d.definition.replace(/ ON public\./, ' ON ').replace(/ public\./g, ' ')};`)
    }
  }
  return `${out.join('\n')}\n`
}

/** The schema of a fresh in-memory database after every migration. */
export async function generateSchema(): Promise<string> {
  const handle = await openDatabase({ memory: true })
  try {
    await migrate(handle.db)
    return await describeSchema(handle.db)
  } finally {
    await handle.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(SCHEMA_PATH, await generateSchema())
  console.log('wrote docs/schema.sql')
}
