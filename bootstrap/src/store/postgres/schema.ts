import type { Sql } from 'postgres'

/** The one table every registry's sublevels live in (docs/scaled.md). */
export const KV_TABLE = 'dak_kv'

/**
 * Create the schema and table if they are missing. Keys compare in byte order
 * (COLLATE "C"), as LevelDB's do: the registries' range reads depend on it.
 * Several processes may start at once: IF NOT EXISTS under one advisory lock.
 */
export async function createSchema (sql: Sql, schema: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtextextended('dak schema', 0))`
    await tx`create schema if not exists ${tx(schema)}`
    await tx`create table if not exists ${tx(schema)}.${tx(KV_TABLE)} (
      sub text collate "C" not null,
      key text collate "C" not null,
      value bytea not null,
      primary key (sub, key)
    )`
  })
}
