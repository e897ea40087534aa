// The PostgreSQL schema, created and migrated by kplug itself: numbered migrations, each
// applied once in its own transaction and recorded in kplug_migrations. Nodes starting
// together take an advisory lock, so exactly one of them migrates.

import type pg from "pg";
import { StoreSchemaTooNew } from "./errors.ts";

const MIGRATION_LOCK = 0x6b706c67; // "kplg"

interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: "version counter, clients, plugins",
    sql: `
      -- One row; every write increments it first, so writers are serialised on its row lock
      -- and versions become visible in commit order (a reader never sees 12 before 11).
      CREATE TABLE kplug_version (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        version bigint NOT NULL
      );
      INSERT INTO kplug_version VALUES (true, 0);
      -- A deleted client keeps its row (deleted, no token) so its id's next life gets a new
      -- generation and other nodes see the deletion.
      CREATE TABLE kplug_clients (
        id text PRIMARY KEY,
        generation integer NOT NULL,
        deleted boolean NOT NULL DEFAULT false,
        token_sha256 text,
        limits jsonb NOT NULL DEFAULT '{}',
        version bigint NOT NULL,
        created text NOT NULL,
        updated text NOT NULL
      );
      CREATE INDEX kplug_clients_version ON kplug_clients (version);
      -- A deleted plugin keeps its row (deleted, no source) until its client is deleted.
      CREATE TABLE kplug_plugins (
        client text NOT NULL REFERENCES kplug_clients (id),
        generation integer NOT NULL,
        name text NOT NULL,
        deleted boolean NOT NULL DEFAULT false,
        version bigint NOT NULL,
        source text,
        wasm bytea,
        compiler_version text,
        exports jsonb,
        imports jsonb,
        updated text,
        history jsonb NOT NULL DEFAULT '[]',
        PRIMARY KEY (client, name)
      );
      CREATE INDEX kplug_plugins_version ON kplug_plugins (version);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.id;

/**
 * Applies the migrations this database lacks; refuses a schema newer than this kplug.
 * Returns the ones applied now ("1: version counter, ..."), empty when it was up to date.
 */
export async function migrate(pool: pg.Pool): Promise<string[]> {
  const applied: string[] = [];
  const c = await pool.connect();
  let broken = false;
  try {
    await c.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await c.query(`CREATE TABLE IF NOT EXISTS kplug_migrations (
        id integer PRIMARY KEY,
        name text NOT NULL,
        applied timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await c.query<{ id: number }>("SELECT id FROM kplug_migrations");
      const done = new Set(rows.map((r) => r.id));
      const newest = Math.max(0, ...done);
      if (newest > SCHEMA_VERSION)
        throw new StoreSchemaTooNew(
          `the database schema is at migration ${newest}, newer than this kplug knows ` +
            `(${SCHEMA_VERSION}); upgrade kplug`,
        );
      for (const m of MIGRATIONS) {
        if (done.has(m.id)) continue;
        await c.query("BEGIN");
        try {
          await c.query(m.sql);
          await c.query("INSERT INTO kplug_migrations (id, name) VALUES ($1, $2)", [m.id, m.name]);
          await c.query("COMMIT");
          applied.push(`${m.id}: ${m.name}`);
        } catch (e) {
          await c.query("ROLLBACK").catch(() => {});
          throw e;
        }
      }
    } finally {
      await c.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {
        broken = true;
      });
    }
  } finally {
    c.release(broken);
  }
  return applied;
}
