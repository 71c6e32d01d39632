// Many-row INSERT statements as plain SQL text with bound values, for the hot bulk paths
// (dashboard aggregates, imports). Compiling a few-hundred-row INSERT through the query builder
// costs more than running it, so the text is built here once per shape and reused.

/** A plain SQL statement with its bound values. */
export interface RawStatement {
  sql: string;
  params: unknown[];
}

const texts = new Map<string, string>();

/**
 * `insert into "table" (columns) values (…), (…) <tail>` for these rows (all with the columns of
 * the first), with `$n` placeholders on PostgreSQL and `?` on SQLite. `tail` is the ON CONFLICT /
 * RETURNING clause, the same for every statement of one kind.
 */
export function insertStatement(postgres: boolean, table: string, rows: Record<string, unknown>[], tail = ""): RawStatement {
  const columns = Object.keys(rows[0]);
  const key = `${postgres}|${table}|${columns.join(",")}|${tail}|${rows.length}`;
  let sql = texts.get(key);
  if (!sql) {
    let p = 0;
    const placeholder = () => (postgres ? `$${++p}` : "?");
    const tuples = Array.from({ length: rows.length }, () => `(${columns.map(placeholder).join(",")})`).join(",");
    sql = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(",")}) values ${tuples}${tail ? ` ${tail}` : ""}`;
    texts.set(key, sql);
  }
  const params: unknown[] = [];
  for (const row of rows) for (const c of columns) params.push(row[c]);
  return { sql, params };
}

/**
 * The same rows as INSERTs of at most `max` rows each (a power of two), the rest in halving
 * pieces (… 4, 2, 1): any number of rows takes one of a few statement shapes, so the prepared
 * statements are reused, and the connection's statement cache stays small.
 */
export function insertStatements(postgres: boolean, table: string, rows: Record<string, unknown>[], tail = "", max = 256): RawStatement[] {
  const out: RawStatement[] = [];
  let i = 0;
  for (let size = max; size >= 1; size = size >> 1) {
    while (rows.length - i >= size && (size === max || rows.length - i < size * 2)) {
      out.push(insertStatement(postgres, table, rows.slice(i, i + size), tail));
      i += size;
    }
  }
  return out;
}
