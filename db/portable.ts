// Small helpers that keep SQLite and PostgreSQL storing the same values the same way.
import { randomUUID } from "node:crypto";
import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder } from "kysely";

export type Dialect = "sqlite" | "postgres";

export const newId = (): string => randomUUID();

/** Timestamps are ISO-8601 UTC text on both databases: they sort and compare as text. */
export const nowIso = (): string => new Date().toISOString();
export const isoIn = (ms: number): string => new Date(Date.now() + ms).toISOString();

const CANONICAL_INSTANT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
/**
 * A date and time as stored: ISO-8601 UTC with milliseconds (what `toISOString` gives). Text
 * already in that form, on a day every month has, is returned as it is, without the cost of a
 * Date (an import asks this of every row, several times); anything else goes through one.
 * Throws a RangeError on a date that is not one, as `toISOString` does.
 */
export const isCanonicalInstant = (text: string): boolean => CANONICAL_INSTANT.test(text);
export const isoInstant = (text: string): string => (CANONICAL_INSTANT.test(text) ? text : new Date(text).toISOString());

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
