// Failures are answered, not thrown: a storage that cannot take writes (disk full, read-only,
// I/O error) or a database that cannot be reached is a 503 with Retry-After — JSON on the API,
// a plain page elsewhere — and the real cause goes to the log.
export const RETRY_AFTER_SECONDS = 30;

// SQLite result codes (better-sqlite3 puts them on err.code), Node errno codes, and PostgreSQL
// SQLSTATE classes that mean "the storage is not available now", not "this request is wrong".
const SQLITE_UNAVAILABLE = /^SQLITE_(?:FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|NOMEM|PROTOCOL|CORRUPT|NOTADB)/;
const NODE_UNAVAILABLE = new Set(["ENOSPC", "EDQUOT", "EIO", "EROFS", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH"]);
const PG_UNAVAILABLE = /^(?:08|53|57P0[1-3]|58)/;
const PG_CONNECTION_LOST = /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i;

function* causes(err: unknown): Generator<unknown> {
  for (let e = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) yield e;
}

/** Whether an error says the database or its disk cannot serve now (rather than a bug or bad input). */
export function isStorageUnavailable(err: unknown): boolean {
  for (const e of causes(err)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      if (SQLITE_UNAVAILABLE.test(code) || NODE_UNAVAILABLE.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && PG_UNAVAILABLE.test(code)) return true;
    }
    if (e instanceof Error && PG_CONNECTION_LOST.test(e.message)) return true;
  }
  return false;
}

/** One line for the log with every cause in the chain, e.g. "SQLITE_FULL: database or disk is full". */
export function describeFailure(err: unknown): string {
  return [...causes(err)]
    .map((e) => {
      const code = (e as { code?: unknown }).code;
      const message = e instanceof Error ? e.message : String(e);
      return typeof code === "string" && !message.startsWith(code) ? `${code}: ${message}` : message;
    })
    .join(" ← caused by ");
}

const UNAVAILABLE_MESSAGE =
  "The server cannot store or read data right now (its database or disk is unavailable). Nothing was changed by this request; try again shortly.";

export function unavailableResponse(api: boolean): Response {
  const headers = { "Retry-After": String(RETRY_AFTER_SECONDS), "Cache-Control": "no-store" };
  if (api) return Response.json({ error: { status: 503, message: UNAVAILABLE_MESSAGE } }, { status: 503, headers });
  return plainPage(503, "Temporarily unavailable", UNAVAILABLE_MESSAGE, headers);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page with no scripts and no app shell, for answers given before or instead of Remix. */
export function plainPage(status: number, title: string, message: string, headers: Record<string, string> = {}): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Safety perception surveys</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to the start page</a></p></body></html>`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8", ...headers } });
}

/** API paths answer JSON; pages answer a plain page. */
export const isApiPath = (pathname: string) => pathname.startsWith("/api/");

/**
 * Work the request can go on without when the storage cannot take it: a write that only keeps
 * bookkeeping fresh (a session's idle clock, a token's last use), or a fold before reading (then the
 * figures are served as last folded). Other errors are thrown; a storage failure is logged when
 * `meanwhile` says what the reader gets instead.
 */
export async function bestEffort(work: Promise<unknown>, meanwhile?: string): Promise<void> {
  try {
    await work;
  } catch (err) {
    if (!isStorageUnavailable(err)) throw err;
    if (meanwhile) console.error(`${meanwhile}: ${describeFailure(err)}`);
  }
}
