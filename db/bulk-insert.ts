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
