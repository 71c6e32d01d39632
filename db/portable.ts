// Small helpers that keep SQLite and PostgreSQL storing the same values the same way.
import { randomUUID } from "node:crypto";
import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder } from "kysely";

export type Dialect = "sqlite" | "postgres";

export const newId = (): string => randomUUID();

/** Timestamps are ISO-8601 UTC text on both databases: they sort and compare as text. */
export const nowIso = (): string => new Date().toISOString();
export const isoIn = (ms: number): string => new Date(Date.now() + ms).toISOString();

export const toBool = (b: boolean): number => (b ? 1 : 0);
export const fromBool = (v: number | boolean | null | undefined): boolean => v === 1 || v === true;

export const toJson = (value: unknown): string => JSON.stringify(value);
export function fromJson<T>(text: string | null | undefined): T | null {
  if (text == null) return null;
  return (typeof text === "string" ? JSON.parse(text) : text) as T;
}

/** Column builders for migrations: the few types that differ between the two dialects. */
export function columns(dialect: Dialect) {
  return {
    /** An auto-numbered integer key. */
    serial<T extends string>(table: CreateTableBuilder<T, never>, name: string) {
      return dialect === "postgres"
        ? table.addColumn(name, "integer", (c) => c.primaryKey().generatedAlwaysAsIdentity())
        : table.addColumn(name, "integer", (c) => c.primaryKey().autoIncrement());
    },
    bool: (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0),
    /** A 64-bit integer: PostgreSQL's bigint, SQLite's integer (already 64-bit). */
    bigint: dialect === "postgres" ? ("bigint" as const) : ("integer" as const),
    real: dialect === "postgres" ? ("double precision" as const) : ("real" as const),
  };
}

export const emptyText = sql`''`;
